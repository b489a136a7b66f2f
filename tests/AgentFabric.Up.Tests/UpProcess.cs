using System.Diagnostics;
using System.Text;

namespace AgentFabric.Up.Tests;

/// <summary><c>agentfabric up</c> as a real process (the built CLI via <c>dotnet agentfabric.dll</c>), its output
/// recorded; other commands of the built CLI run to completion.</summary>
internal sealed class UpProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private UpProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string Cli => Path.Combine(AppContext.BaseDirectory, "agentfabric.dll");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static UpProcess Start(params string[] args) => new(Process.Start(Info(args))!);

    /// <summary>Waits for a line of up's output (ready, or its error).</summary>
    public async Task WaitForAsync(string text, int seconds = 180)
    {
        var watch = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited && !Output.Contains(text, StringComparison.Ordinal))
            {
                Assert.Fail($"up exited ({_process.ExitCode}) before \"{text}\":\n{Output}");
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(seconds), $"no \"{text}\" from up within {seconds} s:\n{Output}");
            await Task.Delay(200);
        }
    }

    public async Task<int> WaitForExitAsync(int seconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var process = Process.Start(Info(args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static ProcessStartInfo Info(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Cli);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        return start;
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
