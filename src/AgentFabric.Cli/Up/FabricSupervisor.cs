using System.Globalization;

namespace AgentFabric.Cli.Up;

/// <summary>
/// Runs the children of <c>up</c>: starts them in order, each once its dependencies are ready, and waits for it to be
/// ready; then restarts any that exits, with backoff (1 s doubling to 30 s, back to 1 s after a child ran 30 s); stops
/// them in reverse order. Every start and restart rewrites the state file.
/// </summary>
internal sealed partial class FabricSupervisor(FabricDirectory dir, IReadOnlyList<ChildSpec> specs, TextWriter events, TimeProvider time)
{
    private static readonly TimeSpan s_probeInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_firstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly List<Slot> _slots = [];
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private readonly ProcessIdentity _self = ProcessIdentity.Current;

    /// <summary>How long a child has to get ready before <c>up</c> gives up (default 60 s).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a child has to stop after SIGTERM before it is killed (default 10 s).</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The children started (in start order) with their current process.</summary>
    public IReadOnlyList<(ChildSpec Spec, ChildProcess Process)> Running
    {
        get
        {
            lock (_lock)
            {
                return _slots.Where(s => s.Process is not null).Select(s => (s.Spec, s.Process!)).ToArray();
            }
        }
    }

    /// <summary>Starts every child that can run, in order, each ready before the next.</summary>
    /// <exception cref="CliException">A child exited or was not ready in time; the children started are left
    /// running for <see cref="StopAsync"/>.</exception>
    public async Task StartAsync(IUpProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        foreach (var spec in specs)
        {
            var skippedDependency = spec.DependsOn.FirstOrDefault(d => _slots.Any(s => s.Spec.Name == d && s.Skipped is not null));
            var skipped = spec.Unavailable ?? (skippedDependency is null ? null : $"needs {skippedDependency}, which is skipped");
            if (skipped is not null)
            {
                lock (_lock)
                {
                    _slots.Add(new Slot(spec) { Skipped = skipped });
                }

                progress.Skipped(spec.Name, skipped);
                SaveState();
                continue;
            }

            progress.Starting(spec.Name);
            var slot = new Slot(spec);
            lock (_lock)
            {
                _slots.Add(slot);
            }

            var began = time.GetTimestamp();
            await StartProcessAsync(slot, progress, cancellationToken).ConfigureAwait(false);
            await WaitReadyAsync(slot, progress, cancellationToken).ConfigureAwait(false);
            if (spec.AfterReady is { } after && await after(cancellationToken).ConfigureAwait(false) is { } note)
            {
                progress.Note(spec.Name, note);
            }

            progress.Ready(spec.Name, time.GetElapsedTime(began), spec.Url);
        }
    }

    /// <summary>Restarts children that exit until <paramref name="stop"/> is cancelled.</summary>
    public async Task SuperviseAsync(CancellationToken stop)
    {
        Slot[] slots;
        lock (_lock)
        {
            slots = _slots.Where(s => s.Process is not null).ToArray();
        }

        await Task.WhenAll(slots.Select(s => KeepRunningAsync(s, stop))).ConfigureAwait(false);
    }

    /// <summary>Stops the children in reverse start order (SIGTERM, then SIGKILL after <see cref="StopGrace"/>) and
    /// deletes the state file.</summary>
    public async Task StopAsync()
    {
        Slot[] slots;
        lock (_lock)
        {
            slots = _slots.Where(s => s.Process is not null).Reverse().ToArray();
        }

        foreach (var slot in slots)
        {
            var process = slot.Process!;
            await process.StopAsync(StopGrace, time).ConfigureAwait(false);
            var code = await process.Exited.ConfigureAwait(false);
            events.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{slot.Spec.Name}: stopped (pid {process.Identity.Pid}, exit code {code})"));
            process.Dispose();
        }

        File.Delete(dir.StateFile);
    }

    private async Task StartProcessAsync(Slot slot, IUpProgress? progress, CancellationToken cancellationToken)
    {
        if (slot.Spec.BeforeStart is { } before && await before(cancellationToken).ConfigureAwait(false) is { } note)
        {
            if (progress is null)
            {
                events.WriteLine($"{slot.Spec.Name}: {note}");
            }
            else
            {
                progress.Note(slot.Spec.Name, note);
            }
        }

        var process = ChildProcess.Start(slot.Spec.Command(), dir.LogFile(slot.Spec.Name), time);
        lock (_lock)
        {
            slot.Process = process;
        }

        SaveState();
    }

    private async Task WaitReadyAsync(Slot slot, IUpProgress progress, CancellationToken cancellationToken)
    {
        var spec = slot.Spec;
        var process = slot.Process!;
        var began = time.GetTimestamp();
        while (true)
        {
            var answer = await spec.Readiness.CheckAsync(cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                return;
            }

            if (process.Exited.IsCompleted)
            {
                var reason = string.Create(CultureInfo.InvariantCulture, $"exited with code {process.Exited.Result} before it was ready");
                progress.Failed(spec.Name, reason);
                throw new CliException($"{spec.Name} {reason}; its log ({dir.LogFile(spec.Name)}) ends with:\n{LogTail(dir.LogFile(spec.Name))}");
            }

            if (time.GetElapsedTime(began) > ReadyTimeout)
            {
                var reason = string.Create(CultureInfo.InvariantCulture, $"not ready after {ReadyTimeout.TotalSeconds:F0} s ({spec.Readiness.Description}: {answer})");
                progress.Failed(spec.Name, reason);
                throw new CliException($"{spec.Name} {reason}; see {dir.LogFile(spec.Name)}");
            }

            await Task.Delay(s_probeInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task KeepRunningAsync(Slot slot, CancellationToken stop)
    {
        var backoff = s_firstBackoff;
        while (!stop.IsCancellationRequested)
        {
            var process = slot.Process!;
            int code;
            try
            {
                code = await process.Exited.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var ran = time.GetUtcNow() - process.StartedAt;
            if (ran >= s_maxBackoff)
            {
                backoff = s_firstBackoff;
            }

            events.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{time.GetLocalNow():HH:mm:ss} {slot.Spec.Name}: exited with code {code} after {ran.TotalSeconds:F1} s; restarting in {backoff.TotalSeconds:F0} s (see {dir.LogFile(slot.Spec.Name)})"));
            try
            {
                await Task.Delay(backoff, time, stop).ConfigureAwait(false);
                process.Dispose();
                slot.Restarts++;
                await StartProcessAsync(slot, null, stop).ConfigureAwait(false);
                events.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{time.GetLocalNow():HH:mm:ss} {slot.Spec.Name}: restarted (pid {slot.Process!.Identity.Pid}, restart {slot.Restarts})"));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is IOException or Grpc.Core.RpcException or System.ComponentModel.Win32Exception)
            {
                // The step before the start failed (e.g. the server is restarting too): try again after the next delay.
                events.WriteLine($"{time.GetLocalNow():HH:mm:ss} {slot.Spec.Name}: cannot restart yet: {e.Message}");
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, s_maxBackoff.Ticks));
        }
    }

    private void SaveState()
    {
        lock (_lock)
        {
            new FabricState
            {
                Up = new RecordedProcess(_self.Pid, _self.StartTime),
                StartedAt = _startedAt,
                Children = _slots.Select(s => new RecordedChild(
                    s.Spec.Name,
                    s.Process is { } p ? new RecordedProcess(p.Identity.Pid, p.Identity.StartTime) : null,
                    s.Process?.StartedAt,
                    s.Restarts,
                    s.Skipped)).ToArray(),
            }.Save(dir);
        }
    }

    /// <summary>The last lines of a child's log, for the error when it dies during start-up.</summary>
    private static string LogTail(string path, int lines = 15)
    {
        try
        {
            return string.Join('\n', File.ReadLines(path).TakeLast(lines));
        }
        catch (IOException e)
        {
            return $"(cannot read it: {e.Message})";
        }
    }

    private sealed class Slot(ChildSpec spec)
    {
        public ChildSpec Spec { get; } = spec;

        public ChildProcess? Process { get; set; }

        public string? Skipped { get; init; }

        public int Restarts { get; set; }
    }
}
