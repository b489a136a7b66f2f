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

    public const string WriterIdPath = "/ns/agents/sa/writer";
    public const string ResearcherIdPath = "/ns/agents/sa/researcher";
    public const string FrontendIdPath = "/ns/ui/sa/frontend";

    /// <summary>Seed 004's agents: name, project folder under the samples directory, SPIFFE ID path.</summary>
    private static readonly (string Name, string Project, string IdPath)[] s_sampleAgents =
    [
        ("writer", "Writer", WriterIdPath),
        ("researcher", "Researcher", ResearcherIdPath),
        ("frontend", "Frontend", FrontendIdPath),
    ];

    /// <summary>Each sample agent's project file and built executable (null when not built), for
    /// <see cref="SampleBuild"/>.</summary>
    public static IEnumerable<(string Name, string ProjectFile, string? Executable)> SampleProjects(string samples) =>
        s_sampleAgents.Select(a => (a.Name, Path.GetFullPath(Path.Combine(samples, a.Project, $"ResearchAgents.{a.Project}.csproj")), Executables(samples, a.Project).FirstOrDefault(File.Exists)));

    /// <summary>Every port name a layout holds (the sample agents listen on a port named as themselves).</summary>
    public static IEnumerable<string> PortNames =>
        new[] { ServerPort, ServerHealthPort, AgentHealthPort, PolicyPort, EdgePort }.Concat(s_sampleAgents.Select(a => a.Name));

    /// <param name="commandExists">Whether this program has a command (e.g. <c>["edge", "run"]</c>).</param>
    /// <param name="samples">The folder holding the sample agents' projects (<c>samples/ResearchAgents</c>).</param>
    /// <param name="demo">The sample's login, created at the edge before it starts; null when the specs are only
    /// probed (<c>status</c>), never started.</param>
    /// <param name="notBuilt">Why a sample agent has no executable when its build failed (agent name → reason).</param>
    public static IReadOnlyList<ChildSpec> Create(FabricDirectory dir, FabricLayout layout, FabricRegistrar registrar, Func<string[], bool> commandExists, string samples,
        DemoUser? demo, IReadOnlyDictionary<string, string>? notBuilt = null)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(commandExists);
        var edge = ChildCommand.Self("edge", "run", "--config", dir.EdgeConfig);
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
                // The sample's rule (undefined without the sample: still 200), so the agents' first decision is warm.
                Readiness = ReadinessProbe.Decision(Local("http", layout.Port(PolicyPort), "/v1/data/agentfabric/samples/research/allow")),
                Url = Local("http", layout.Port(PolicyPort), "/").ToString(),
                Ports = [PolicyPort],
            },
            new()
            {
                // Its settings are edge.json (FabricEdge): trust bundles from the agent's Workload API, the sample's
                // SPIFFE clients and exchange routes. Its client and demo user are put in its store first.
                Name = "edge",
                Command = () => edge,
                Readiness = ReadinessProbe.Http(Local("http", layout.Port(EdgePort), "/.well-known/openid-configuration")),
                Url = Local("http", layout.Port(EdgePort), "/").ToString(),
                Ports = [EdgePort],
                DependsOn = ["agent"],
                Workload = EdgeWorkload(layout, edge),
                Unavailable = commandExists(["edge", "run"]) ? null : "not built yet (this agentfabric has no `edge run` command)",
                BeforeStart = demo is null ? null : ct => FabricEdge.EnsureAccountsAsync(dir, layout, demo, ct),
            },
        };
        specs.AddRange(s_sampleAgents.Select(a => SampleAgent(dir, layout, samples, a.Name, a.Project, a.IdPath, notBuilt?.GetValueOrDefault(a.Name))));

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
    private static ChildSpec SampleAgent(FabricDirectory dir, FabricLayout layout, string samples, string name, string project, string idPath, string? buildFailure)
    {
        var candidates = Executables(samples, project);
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
        if (name == "frontend")
        {
            environment["AGENTFABRIC_FRONTEND_CLIENT_ID"] = FabricEdge.FrontendClientId;
        }

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
            Unavailable = executable is not null ? null : buildFailure is null ? $"not built yet (no {candidates[0]})" : $"not built: {buildFailure}",
        };
    }

    /// <summary>Where an agent's executable is once built (Release, else Debug).</summary>
    private static string[] Executables(string samples, string project) =>
        [.. new[] { "Release", "Debug" }.Select(c => Path.GetFullPath(Path.Combine(samples, project, "bin", c, "net10.0", "ResearchAgents." + project)))];

    /// <summary>
    /// The edge's entry. The edge is this same program (<c>agentfabric edge run</c>), so the kernel can only tell it
    /// by that program: <c>unix:path</c>, <c>unix:sha256</c> and <c>unix:uid</c> of the file <paramref name="edge"/>
    /// runs — the <c>agentfabric</c> apphost, or the <c>dotnet</c> muxer when <c>up</c> itself runs as
    /// <c>dotnet agentfabric.dll</c>. Every process this user runs from that file matches too (the server, the agent,
    /// the policy server, any <c>agentfabric</c> command; under the muxer any .NET program of the user). Acceptable
    /// because of what the ID is worth: the edge takes only the trust bundles (public) from its SVID, and its ID is
    /// outside <c>/ns/</c>, so it is no SPIFFE client of the edge and cannot exchange tokens. An edge on its own
    /// executable (or in a container) gets a selector of its own.
    /// </summary>
    private static WorkloadRegistration? EdgeWorkload(FabricLayout layout, ChildCommand edge) =>
        edge.ResolvedFileName is { } file ? new WorkloadRegistration(FabricEdge.SpiffeId(layout), WorkloadRegistration.KernelPath(file)) : null;

    private static Uri Local(string scheme, int port, string path) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{scheme}://127.0.0.1:{port}{path}"));

    private static string Address(int port) => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
}
