using System.Diagnostics;

namespace AgentFabric.Cli.Up;

/// <summary>
/// A running child: started in its own session (<c>setsid</c>), so a Ctrl+C in the terminal reaches <c>up</c> alone
/// and <c>up</c> stops the children in order; its standard output and error appended to its log file by the shell
/// that execs it, so the log keeps going (and the child keeps running, for <c>down</c> to stop) even when <c>up</c>
/// itself is killed.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const string SetSid = "/usr/bin/setsid";

    private readonly Process _process;

    private ChildProcess(Process process, ProcessIdentity identity, DateTimeOffset startedAt)
    {
        _process = process;
        Identity = identity;
        StartedAt = startedAt;
        Exited = WaitAsync(process);
    }

    public ProcessIdentity Identity { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>Completes with the exit code when the process ends (128 + signal when a signal ended it).</summary>
    public Task<int> Exited { get; }

    /// <exception cref="System.ComponentModel.Win32Exception">The shell cannot be started.</exception>
    public static ChildProcess Start(ChildCommand command, string logFile, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        File.AppendAllText(logFile, $"--- {now:O} agentfabric up: {command}\n");

        var start = new ProcessStartInfo(File.Exists(SetSid) ? SetSid : "/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        if (start.FileName == SetSid)
        {
            start.ArgumentList.Add("/bin/sh");
        }

        // $0 and "$@" carry the command line untouched by the shell: no quoting of arguments into a script.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$AGENTFABRIC_CHILD_LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add(command.FileName);
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AGENTFABRIC_CHILD_LOG"] = logFile;
        foreach (var (name, value) in command.Environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command}");
        process.StandardInput.Close();

        // setsid and the shell exec in place: the pid is the child's own from the start.
        var identity = ProcessIdentity.TryRead(process.Id) ?? new ProcessIdentity(process.Id, 0);
        return new ChildProcess(process, identity, now);
    }

    /// <summary>SIGTERM (the children stop cleanly on it), then SIGKILL when <paramref name="grace"/> has passed.</summary>
    public async Task StopAsync(TimeSpan grace, TimeProvider time)
    {
        if (Exited.IsCompleted)
        {
            return;
        }

        ProcessIdentity.Terminate(_process.Id);
        using var timeout = new CancellationTokenSource(grace, time);
        try
        {
            await Exited.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await Exited.ConfigureAwait(false);
        }
    }

    public void Dispose() => _process.Dispose();

    private static async Task<int> WaitAsync(Process process)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode;
    }
}
