using System.CommandLine;
using System.Globalization;

namespace AgentFabric.Cli.Up;

/// <summary><c>agentfabric status [--dir .agentfabric]</c>: the running <c>up</c> and each child (pid, state, URL),
/// each probed as <c>up</c> probes it. Exit code 0 when every child that runs is ready, 1 otherwise.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var dirOption = UpCommands.Dir();
        var command = new Command("status", "Show the children of the running `agentfabric up` and whether each is ready") { dirOption };
        command.SetAction(UpCommands.Errors, async (parse, console, ct) =>
        {
            var dir = new FabricDirectory(parse.GetValue(dirOption)!);
            if (FabricState.TryLoad(dir) is not { } state)
            {
                throw new CliException($"agentfabric up is not running in {dir.Root} (no state file)");
            }

            var upAlive = state.Up.Identity.IsAlive;
            var specs = File.Exists(dir.LayoutFile)
                ? FabricChildren.Create(dir, FabricLayout.Parse(dir.LayoutFile, File.ReadAllText(dir.LayoutFile)), new FabricRegistrar(dir, FabricLayout.Parse(dir.LayoutFile, File.ReadAllText(dir.LayoutFile))), path => UpCommands.CommandExists(parse, path), Path.Combine("samples", "ResearchAgents"), demo: null)
                : [];
            console.Out.WriteLine(upAlive
                ? string.Create(CultureInfo.InvariantCulture, $"agentfabric up is running (pid {state.Up.Pid}, since {state.StartedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}); state in {dir.Root}")
                : string.Create(CultureInfo.InvariantCulture, $"agentfabric up (pid {state.Up.Pid}) is not running: it was killed; `agentfabric down` stops what it left"));

            var table = CliTable.Create("Child", "PID", "State", "Restarts", "URL");
            var allReady = upAlive;
            foreach (var child in state.Children)
            {
                var spec = specs.FirstOrDefault(s => s.Name == child.Name);
                var (text, ready) = await DescribeAsync(child, spec, ct).ConfigureAwait(false);
                allReady &= ready;
                table.AddTextRow(
                    child.Name,
                    child.Process?.Pid.ToString(CultureInfo.InvariantCulture) ?? "-",
                    text,
                    child.Restarts.ToString(CultureInfo.InvariantCulture),
                    child.Skipped is null ? spec?.Url ?? "" : "");
            }

            console.WriteTable(table);
            return allReady ? 0 : 1;
        });
        return command;
    }

    private static async Task<(string Text, bool Ready)> DescribeAsync(RecordedChild child, ChildSpec? spec, CancellationToken ct)
    {
        if (child.Skipped is { } reason)
        {
            // The full reason (with the path looked for) is in up's output; the table keeps its first words.
            var paren = reason.IndexOf(" (", StringComparison.Ordinal);
            return ("skipped: " + (paren > 0 ? reason[..paren] : reason), true);
        }

        if (child.Process is null || !child.Process.Identity.IsAlive)
        {
            return ("exited", false);
        }

        if (spec is null)
        {
            return ("running", true);
        }

        var answer = await spec.Readiness.CheckAsync(ct).ConfigureAwait(false);
        return answer is null ? ("ready", true) : ($"not ready: {answer}", false);
    }
}
