using System.Diagnostics;
using System.Globalization;

namespace AgentFabric.Cli.Up;

/// <summary>
/// Builds a sample agent whose executable is missing while its project is there (a fresh clone: the README's first
/// command builds only this CLI), so <c>agentfabric up</c> alone brings the whole sample up. Each build is
/// <c>dotnet build -c Release</c> with its output in <c>logs/build-&lt;agent&gt;.log</c> and a line before and after
/// it on <c>up</c>'s output; a failed build leaves the agent skipped as not built, naming the log.
/// </summary>
internal static class SampleBuild
{
    /// <summary>Builds each of <paramref name="agents"/> (name and project file) whose executable is missing.</summary>
    /// <returns>Why each agent that needed a build has no executable after it (agent name → reason); empty when
    /// every build succeeded or none was needed.</returns>
    public static async Task<IReadOnlyDictionary<string, string>> BuildMissingAsync(
        FabricDirectory dir, IEnumerable<(string Name, string ProjectFile, string? Executable)> agents, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(time);
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, project, executable) in agents)
        {
            if (executable is not null || !File.Exists(project))
            {
                continue;
            }

            var log = dir.LogFile("build-" + name);
            output.WriteLine($"{name}: building {Path.GetRelativePath(Environment.CurrentDirectory, project)} (first run; output in {log})…");
            var began = time.GetTimestamp();
            int code;
            try
            {
                code = await RunAsync(project, log, cancellationToken).ConfigureAwait(false);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                failures[name] = $"cannot run {ChildCommand.Dotnet} to build it: {e.Message}";
                output.WriteLine($"{name}: {failures[name]}");
                continue;
            }

            var took = time.GetElapsedTime(began).TotalSeconds;
            if (code == 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: built in {took:F0} s"));
            }
            else
            {
                var reason = string.Create(CultureInfo.InvariantCulture, $"the build failed (dotnet build exit code {code}; see {log})");
                output.WriteLine($"{name}: {reason}");
                failures[name] = reason;
            }
        }

        return failures;
    }

    private static async Task<int> RunAsync(string project, string log, CancellationToken cancellationToken)
    {
        // No build servers: up must not leave MSBuild or compiler servers running behind it.
        var start = new ProcessStartInfo(ChildCommand.Dotnet) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "build", project, "-c", "Release", "-nologo", "--disable-build-servers" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
        await using var writer = new StreamWriter(log, append: false);
        var copyOut = CopyAsync(process.StandardOutput, writer);
        var copyErr = CopyAsync(process.StandardError, writer);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await Task.WhenAll(copyOut, copyErr).ConfigureAwait(false);
        return process.ExitCode;
    }

    private static async Task CopyAsync(StreamReader from, StreamWriter to)
    {
        while (await from.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (to)
            {
                to.WriteLine(line);
            }
        }
    }
}
