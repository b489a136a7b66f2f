using System.CommandLine;
using System.Globalization;

namespace AgentFabric.Cli.Up;

/// <summary><c>agentfabric down [--dir .agentfabric]</c>: SIGTERM to the running <c>up</c>, which stops its children
/// in reverse order; when that <c>up</c> is gone (killed), stops the children it left running and removes its state.</summary>
internal static class DownCommand
{
    public static Command Create()
    {
        var dirOption = UpCommands.Dir();
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for up to stop before killing it", DefaultValueFactory = _ => 60 };
        var command = new Command("down", "Stop the running `agentfabric up` and its children") { dirOption, timeout };
        command.SetAction(UpCommands.Errors, async (parse, console, _) =>
        {
            var dir = new FabricDirectory(parse.GetValue(dirOption)!);
            var time = TimeProvider.System;
            if (FabricState.TryLoad(dir) is not { } state)
            {
                console.Out.WriteLine($"agentfabric up is not running in {dir.Root}");
                return 0;
            }

            var up = state.Up.Identity;
            var pid = state.Up.Pid.ToString(CultureInfo.InvariantCulture);
            if (up.Signal(ProcessIdentity.SigTerm))
            {
                if (await RecordedChildren.WaitGoneAsync([up], TimeSpan.FromSeconds(parse.GetValue(timeout)), time).ConfigureAwait(false))
                {
                    console.Out.WriteLine($"Stopped agentfabric up (pid {pid}) and its children.");
                    // It deleted the state file as its last step; what else is recorded and alive is stopped below.
                    var leftovers = FabricState.TryLoad(dir) is { } after ? await RecordedChildren.StopAsync(after, TimeSpan.FromSeconds(10), time).ConfigureAwait(false) : [];
                    Report(console, leftovers);
                    File.Delete(dir.StateFile);
                    return 0;
                }

                up.Signal(ProcessIdentity.SigKill);
                console.Out.WriteLine($"agentfabric up (pid {pid}) did not stop within {parse.GetValue(timeout)} s: killed it.");
            }
            else
            {
                console.Out.WriteLine($"agentfabric up (pid {pid}) is not running (it was killed).");
            }

            Report(console, await RecordedChildren.StopAsync(state, TimeSpan.FromSeconds(10), time).ConfigureAwait(false));
            File.Delete(dir.StateFile);
            return 0;
        });
        return command;
    }

    private static void Report(CliConsole console, IReadOnlyList<string> stopped)
    {
        if (stopped.Count > 0)
        {
            console.Out.WriteLine($"Stopped what it left running: {string.Join(", ", stopped)}");
        }
    }
}
