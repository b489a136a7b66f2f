using System.Globalization;

namespace AgentFabric.Cli.Up;

/// <summary>
/// The children of <c>agentfabric up</c>, in start order: the identity server, one node agent, the policy server, the
/// edge, and seed 004's three agents (writer first: each agent's callee is up before its callers). The edge and the
/// sample agents run when they exist (the <c>edge run</c> command in this program; each agent's built executable
/// under the samples directory) and are skipped with the reason otherwise.
/// </summary>
internal static class FabricChildren
{
    public const string ServerPort = "server";
    public const string ServerHealthPort = "server_health";
    public const string AgentHealthPort = "agent_health";
    public const string PolicyPort = "policy";
    public const string EdgePort = "edge";

    /// <summary>Seed 004's agents: name, project folder under the samples directory, SPIFFE ID path.</summary>
    private static readonly (string Name, string Project, string IdPath)[] s_sampleAgents =
    [
        ("writer", "Writer", "/ns/agents/sa/writer"),
        ("researcher", "Researcher", "/ns/agents/sa/researcher"),
        ("frontend", "Frontend", "/ns/ui/sa/frontend"),
    ];

    /// <summary>Every port name a layout holds (the sample agents listen on a port named as themselves).</summary>
    public static IEnumerable<string> PortNames =>
        new[] { ServerPort, ServerHealthPort, AgentHealthPort, PolicyPort, EdgePort }.Concat(s_sampleAgents.Select(a => a.Name));

    /// <param name="commandExists">Whether this program has a command (e.g. <c>["edge", "run"]</c>).</param>
    /// <param name="samples">The folder holding the sample agents' projects (<c>samples/ResearchAgents</c>).</param>
    public static IReadOnlyList<ChildSpec> Create(FabricDirectory dir, FabricLayout layout, FabricRegistrar registrar, Func<string[], bool> commandExists, string samples)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(commandExists);
        var specs = new List<ChildSpec>
        {
            new()
            {
                Name = "server",
                Command = () => ChildCommand.Self("server", "run", "-config", dir.ServerConfig),
                Readiness = ReadinessProbe.Http(Local("http", layout.Port(ServerHealthPort), "/ready")),
                Url = Address(layout.Port(ServerPort)),
                Ports = [ServerPort, ServerHealthPort],
            },
            new()
            {
                Name = "agent",
                // A waiting token (first attestation) goes by file, so it is never on a command line others can read.
                Command = () => File.Exists(dir.JoinTokenFile)
                    ? ChildCommand.Self("agent", "run", "-config", dir.AgentConfig, "-joinTokenFile", dir.JoinTokenFile)
                    : ChildCommand.Self("agent", "run", "-config", dir.AgentConfig),
                Readiness = ReadinessProbe.WorkloadSocket(dir.WorkloadSocket),
                Url = "unix://" + dir.WorkloadSocket,
                Ports = [AgentHealthPort],
                DependsOn = ["server"],
                BeforeStart = async ct => await registrar.PrepareJoinTokenAsync(ct).ConfigureAwait(false) ? "join token minted for the first attestation" : null,
                AfterReady = _ =>
                {
                    File.Delete(dir.JoinTokenFile); // spent: the agent holds its SVID now
                    return Task.FromResult<string?>(null);
                },
            },
            new()
            {
                Name = "policy",
                Command = () => ChildCommand.Self("policy", "serve", "--addr", Address(layout.Port(PolicyPort)), "-b", dir.PolicyBundle),
                Readiness = ReadinessProbe.Http(Local("http", layout.Port(PolicyPort), "/health")),
                Url = Local("http", layout.Port(PolicyPort), "/").ToString(),
                Ports = [PolicyPort],
            },
            new()
            {
                Name = "edge",
                Command = () => ChildCommand.Self("edge", "run", "--issuer", Local("http", layout.Port(EdgePort), "/").ToString(), "--data-dir", dir.EdgeData),
                Readiness = ReadinessProbe.Http(Local("http", layout.Port(EdgePort), "/.well-known/openid-configuration")),
                Url = Local("http", layout.Port(EdgePort), "/").ToString(),
                Ports = [EdgePort],
                DependsOn = ["policy"],
                Unavailable = commandExists(["edge", "run"]) ? null : "not built yet (this agentfabric has no `edge run` command)",
            },
        };
        specs.AddRange(s_sampleAgents.Select(a => SampleAgent(dir, layout, samples, a.Name, a.Project, a.IdPath)));

        // Once the server answers: the bundle for the agent, then every workload's entry, so each agent finds its
        // identity waiting when it first asks.
        var workloads = specs.Where(s => s.Unavailable is null && s.Workload is not null).Select(s => s.Workload!).ToArray();
        specs[0] = specs[0] with
        {
            AfterReady = async ct =>
            {
                await registrar.WriteBundleAsync(ct).ConfigureAwait(false);
                var (created, updated) = await registrar.RegisterAsync(workloads, ct).ConfigureAwait(false);
                return string.Create(CultureInfo.InvariantCulture, $"entries: {created} created, {updated} updated, {workloads.Length - created - updated} unchanged");
            },
        };
        return specs;
    }

    /// <summary>A sample agent: its built executable (Release, else Debug), its entry by that executable, and where
    /// everything it talks to is, by environment.</summary>
    private static ChildSpec SampleAgent(FabricDirectory dir, FabricLayout layout, string samples, string name, string project, string idPath)
    {
        var candidates = new[] { "Release", "Debug" }
            .Select(c => Path.GetFullPath(Path.Combine(samples, project, "bin", c, "net10.0", "ResearchAgents." + project)))
            .ToArray();
        var executable = candidates.FirstOrDefault(File.Exists);
        var port = layout.Port(name);
        var scheme = name == "frontend" ? "http" : "https"; // the agents speak mTLS; people reach the frontend
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = Local(scheme, port, "/").ToString().TrimEnd('/'),
            ["SPIFFE_ENDPOINT_SOCKET"] = "unix://" + dir.WorkloadSocket,
            ["AGENTFABRIC_TRUST_DOMAIN"] = layout.TrustDomain,
            ["AGENTFABRIC_POLICY_URL"] = Local("http", layout.Port(PolicyPort), "/").ToString(),
            ["AGENTFABRIC_EDGE_URL"] = Local("http", layout.Port(EdgePort), "/").ToString(),
            ["AGENTFABRIC_RESEARCHER_URL"] = Local("https", layout.Port("researcher"), "/").ToString(),
            ["AGENTFABRIC_WRITER_URL"] = Local("https", layout.Port("writer"), "/").ToString(),
        };
        return new ChildSpec
        {
            Name = name,
            Command = () => new ChildCommand(executable!, []) { Environment = environment },
            Readiness = scheme == "http" ? ReadinessProbe.Http(Local("http", port, "/")) : ReadinessProbe.Tcp(port),
            Url = Local(scheme, port, "/").ToString(),
            Ports = [name],
            DependsOn = name switch
            {
                "frontend" => ["agent", "policy", "edge", "researcher"],
                "researcher" => ["agent", "policy", "edge", "writer"],
                _ => ["agent", "policy", "edge"],
            },
            Workload = executable is null ? null : new WorkloadRegistration($"spiffe://{layout.TrustDomain}{idPath}", WorkloadRegistration.KernelPath(executable)),
            Unavailable = executable is null ? $"not built yet (no {candidates[0]})" : null,
        };
    }

    private static Uri Local(string scheme, int port, string path) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{scheme}://127.0.0.1:{port}{path}"));

    private static string Address(int port) => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
}
