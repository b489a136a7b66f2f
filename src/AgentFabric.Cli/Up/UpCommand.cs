using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace AgentFabric.Cli.Up;

/// <summary>
/// <c>agentfabric up [--dir .agentfabric] [--samples samples/ResearchAgents]</c>: starts the identity server, a node
/// agent, the policy server, the edge and the sample agents as child processes of this one, registers the agents'
/// entries, waits until each is ready, prints what to open, restarts a child that exits, and stops them all in
/// reverse order on Ctrl+C or SIGTERM (what <c>agentfabric down</c> sends).
/// </summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var dirOption = UpCommands.Dir();
        var samples = new Option<string>("--samples")
        {
            Description = "The folder of the sample agents' projects (each agent runs when its executable is built)",
            DefaultValueFactory = _ => Path.Combine("samples", "ResearchAgents"),
        };
        var readyTimeout = new Option<int>("--ready-timeout")
        {
            Description = "Seconds each child has to get ready",
            DefaultValueFactory = _ => 60,
        };
        var svidTtl = new Option<int>("--svid-ttl")
        {
            Description = "Lifetime in seconds of the workloads' X.509-SVIDs (0: the server's default, 1 h); a short one shows rotation at work",
            DefaultValueFactory = _ => 0,
        };
        var command = new Command("up", "Start the whole fabric here (server, agent, policy server, edge, sample agents) until Ctrl+C") { dirOption, samples, readyTimeout, svidTtl };
        command.SetAction(UpCommands.Errors, async (parse, console, ct) =>
        {
            if (parse.GetValue(readyTimeout) <= 0)
            {
                throw new CliException($"--ready-timeout must be a positive number of seconds, got {parse.GetValue(readyTimeout)}");
            }

            // Below 10 s an SVID would be re-issued before a request could finish with it (the agent renews at half life).
            if (parse.GetValue(svidTtl) is < 0 or (> 0 and < 10))
            {
                throw new CliException($"--svid-ttl must be 0 (the server's default) or at least 10 seconds, got {parse.GetValue(svidTtl)}");
            }

            var dir = new FabricDirectory(parse.GetValue(dirOption)!);
            dir.Create();
            await TakeOverStateAsync(dir, console).ConfigureAwait(false);

            var layout = FabricLayout.LoadOrCreate(dir, FabricChildren.PortNames);
            var demo = DemoUser.LoadOrCreate(dir);
            var samplesDir = parse.GetValue(samples)!;
            var notBuilt = await SampleBuild.BuildMissingAsync(dir, FabricChildren.SampleProjects(samplesDir), console.Out, TimeProvider.System, ct).ConfigureAwait(false);
            var specs = FabricChildren.Create(dir, layout, new FabricRegistrar(dir, layout, parse.GetValue(svidTtl)), path => UpCommands.CommandExists(parse, path), samplesDir, demo, notBuilt);
            layout.CheckFree(dir, specs.Where(s => s.Unavailable is null).SelectMany(s => s.Ports));
            if (FabricConfigFiles.Write(dir, layout, samplesDir) is > 0 and var copied)
            {
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"policy: {copied} Rego files of the sample copied to {Path.Combine(dir.PolicyBundle, FabricConfigFiles.SamplePolicyFolder)}"));
            }

            var supervisor = new FabricSupervisor(dir, specs, console.Out, TimeProvider.System) { ReadyTimeout = TimeSpan.FromSeconds(parse.GetValue(readyTimeout)) };
            try
            {
                console.Out.WriteLine($"Starting AgentFabric (state in {dir.Root}, logs in {dir.Logs})");
                if (IsTerminal(console))
                {
                    await AnsiConsole.Progress().AutoClear(false).HideCompleted(false)
                        .StartAsync(context => supervisor.StartAsync(new LiveUpProgress(context), ct)).ConfigureAwait(false);
                }
                else
                {
                    await supervisor.StartAsync(new PlainUpProgress(console.Out), ct).ConfigureAwait(false);
                }

                PrintReady(console, dir, layout, supervisor, demo);
                await supervisor.SuperviseAsync(ct).ConfigureAwait(false);
                console.Out.WriteLine("Stopping AgentFabric…");
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                console.Out.WriteLine("Stopping AgentFabric…");
            }
            finally
            {
                await supervisor.StopAsync().ConfigureAwait(false);
            }

            console.Out.WriteLine("AgentFabric stopped.");
            return 0;
        });
        return command;
    }

    /// <summary>Refuses to run beside a live <c>up</c> on the same directory; stops what a killed one left running.</summary>
    private static async Task TakeOverStateAsync(FabricDirectory dir, CliConsole console)
    {
        if (FabricState.TryLoad(dir) is not { } state)
        {
            return;
        }

        if (state.Up.Identity.IsAlive)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"agentfabric up is already running for {dir.Root} (pid {state.Up.Pid}); see `agentfabric status`, or stop it with `agentfabric down`"));
        }

        var stopped = await RecordedChildren.StopAsync(state, TimeSpan.FromSeconds(10), TimeProvider.System).ConfigureAwait(false);
        if (stopped.Count > 0)
        {
            console.Out.WriteLine($"A previous up (pid {state.Up.Pid.ToString(CultureInfo.InvariantCulture)}) did not stop; stopped what it left running: {string.Join(", ", stopped)}");
        }

        File.Delete(dir.StateFile);
    }

    private static void PrintReady(CliConsole console, FabricDirectory dir, FabricLayout layout, FabricSupervisor supervisor, DemoUser demo)
    {
        var table = CliTable.Create("Child", "PID", "URL");
        foreach (var (spec, process) in supervisor.Running)
        {
            table.AddTextRow(spec.Name, process.Identity.Pid.ToString(CultureInfo.InvariantCulture), spec.Url);
        }

        console.WriteTable(table);
        var frontend = supervisor.Running.FirstOrDefault(r => r.Spec.Name == "frontend").Spec;
        var edge = supervisor.Running.Any(r => r.Spec.Name == "edge");
        console.Out.WriteLine(frontend is not null
            ? $"AgentFabric is up (trust domain {layout.TrustDomain}): open {frontend.Url.TrimEnd('/')} — sign in as {demo.UserName} / {demo.Password}"
            : edge
                ? $"AgentFabric is up (trust domain {layout.TrustDomain}); the sample's frontend is not running (see above). The edge's demo login: {demo.UserName} / {demo.Password}"
                : $"AgentFabric is up (trust domain {layout.TrustDomain}). The sample agents are not built yet: the server, the agent and the policy server run.");
        console.Out.WriteLine($"Try: SPIFFE_ENDPOINT_SOCKET=unix://{dir.WorkloadSocket} agentfabric api fetch x509   |   agentfabric entry show -socketPath {dir.AdminSocket}");
        console.Out.WriteLine("Ctrl+C (or `agentfabric down`) stops everything; `agentfabric status` shows each child.");
    }

    /// <summary>A live display only on the process's own terminal, never into a redirected or test writer.</summary>
    private static bool IsTerminal(CliConsole console) =>
        ReferenceEquals(console.Out, Console.Out) && !Console.IsOutputRedirected;
}
