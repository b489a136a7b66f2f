using System.Text.Json.Nodes;
using AgentFabric.Cli.Edge;
using AgentFabric.Cli.Up;
using AgentFabric.Edge.Clients;
using AgentFabric.Edge.Exchange;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFabric.Up.Tests;

/// <summary>What <c>up</c> prepares for the edge and the sample, in-process: the demo login file, the edge's
/// settings file as <c>edge run --config</c> reads it, the sample's Rego copied into the bundle, and the client and
/// user put in the edge's store idempotently.</summary>
public sealed class UpEdgeSetupTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("af-up-edge-").FullName;
    private readonly FabricDirectory _dir;

    public UpEdgeSetupTests()
    {
        _dir = new FabricDirectory(Path.Combine(_root, "state"));
        _dir.Create();
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void DemoUser_GeneratedOnce_0600_ThenReused()
    {
        var first = DemoUser.LoadOrCreate(_dir);
        Assert.Equal("demo", first.UserName);
        Assert.Matches("^[a-km-zA-HJ-NP-Z2-9]{20}$", first.Password);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.DemoUserFile));
        Assert.Equal(first, DemoUser.LoadOrCreate(_dir));
        Assert.Equal("demo", first.ToString()); // never the password
    }

    [Theory]
    [InlineData("[]", "The JSON value could not be converted to AgentFabric.Cli.Up.DemoUser. Path: $ | LineNumber: 0 | BytePositionInLine: 1.")]
    [InlineData("""{"username":"demo"}""", "JSON deserialization for type 'AgentFabric.Cli.Up.DemoUser' was missing required properties including: 'password'.")]
    [InlineData("""{"username":"demo","password":""}""", "want {\"username\": a non-empty name, \"password\": a non-empty password}")]
    [InlineData("""{"username":" ","password":"x"}""", "want {\"username\": a non-empty name, \"password\": a non-empty password}")]
    [InlineData("""{"username":"demo","password":"x","admin":true}""", "The JSON property 'admin' could not be mapped to any .NET member contained in type 'AgentFabric.Cli.Up.DemoUser'.")]
    public void DemoUser_Corrupt(string text, string reason)
    {
        File.WriteAllText(_dir.DemoUserFile, text);
        var e = Assert.Throws<FabricStateException>(() => DemoUser.LoadOrCreate(_dir));
        Assert.Equal($"{_dir.DemoUserFile} is not the demo user written by agentfabric up ({reason}); fix it, or delete it to get a new password", e.Message);
    }

    [Fact]
    public void EdgeConfig_ReadByEdgeRun_WorkloadApi_SampleClients_TwoRoutes()
    {
        var layout = FabricLayout.LoadOrCreate(_dir, FabricChildren.PortNames);
        FabricConfigFiles.Write(_dir, layout, Path.Combine(_root, "no-samples"));
        var options = EdgeConfigFile.Load(_dir.EdgeConfig);
        Assert.Equal($"http://127.0.0.1:{layout.Port("edge")}/", options.Issuer!.ToString());
        Assert.Equal(_dir.EdgeData, options.DataDirectory);
        Assert.Equal("unix://" + _dir.WorkloadSocket, options.WorkloadApiAddress);
        Assert.Null(options.TrustBundlePath);
        Assert.Equal(new[] { "spiffe://example.org/ns/*" }, options.SpiffeClients);
        Assert.Equal(
            new ExchangeRoute[]
            {
                new("spiffe://example.org/ns/ui/sa/frontend", "spiffe://example.org/ns/agents/sa/researcher"),
                new("spiffe://example.org/ns/agents/sa/researcher", "spiffe://example.org/ns/agents/sa/writer"),
            },
            options.ExchangeRoutes);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void SamplePolicy_CopiedAfreshAtEveryStart_OnlyRego()
    {
        var samples = Path.Combine(_root, "samples");
        var policy = Directory.CreateDirectory(Path.Combine(samples, "policy")).FullName;
        File.WriteAllText(Path.Combine(policy, "research.rego"), "package agentfabric.samples.research\n");
        File.WriteAllText(Path.Combine(policy, "research_test.rego"), "package agentfabric.samples.research_test\n");
        File.WriteAllText(Path.Combine(policy, "notes.md"), "not policy\n");
        var layout = FabricLayout.LoadOrCreate(_dir, FabricChildren.PortNames);
        var target = Path.Combine(_dir.PolicyBundle, "agentfabric", "samples", "research");

        Assert.Equal(2, FabricConfigFiles.Write(_dir, layout, samples));
        Assert.Equal(new[] { "research.rego", "research_test.rego" }, Directory.GetFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(_dir.PolicyBundle, "agentfabric", "examples", "research", "research.rego"))); // the library is kept

        File.Delete(Path.Combine(policy, "research_test.rego"));
        File.WriteAllText(Path.Combine(policy, "research.rego"), "package agentfabric.samples.research\n\nallow := false\n");
        Assert.Equal(1, FabricConfigFiles.Write(_dir, layout, samples));
        Assert.Equal(new[] { "research.rego" }, Directory.GetFiles(target).Select(Path.GetFileName));
        Assert.Equal("package agentfabric.samples.research\n\nallow := false\n", File.ReadAllText(Path.Combine(target, "research.rego")));

        Directory.Delete(policy, recursive: true);
        Assert.Equal(0, FabricConfigFiles.Write(_dir, layout, samples));
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Accounts_CreatedOnce_KeptAfter_ReplacedWhenTheyDiffer()
    {
        var layout = FabricLayout.LoadOrCreate(_dir, FabricChildren.PortNames);
        var demo = DemoUser.LoadOrCreate(_dir);
        Assert.Equal("client research-frontend registered, user demo added", await FabricEdge.EnsureAccountsAsync(_dir, layout, demo, CancellationToken.None));
        Assert.Null(await FabricEdge.EnsureAccountsAsync(_dir, layout, demo, CancellationToken.None));

        // demo-user.json replaced by hand: the file wins.
        Assert.Equal("user demo given the password in demo-user.json", await FabricEdge.EnsureAccountsAsync(_dir, layout, demo with { Password = "another" }, CancellationToken.None));
        Assert.Null(await FabricEdge.EnsureAccountsAsync(_dir, layout, demo with { Password = "another" }, CancellationToken.None));

        // The frontend moved to another port: its redirect URI follows.
        var ports = JsonNode.Parse(File.ReadAllText(_dir.LayoutFile))!;
        ports["ports"]!["frontend"] = layout.Port("frontend") == 20000 ? 20001 : 20000;
        File.WriteAllText(_dir.LayoutFile, ports.ToJsonString());
        var moved = FabricLayout.LoadOrCreate(_dir, FabricChildren.PortNames);
        Assert.Equal("client research-frontend updated", await FabricEdge.EnsureAccountsAsync(_dir, moved, demo with { Password = "another" }, CancellationToken.None));

        await using var services = await EdgeCommand.OpenStoresAsync(new() { Issuer = new Uri("http://127.0.0.1/"), DataDirectory = _dir.EdgeData }, CancellationToken.None);
        await using var scope = services.CreateAsyncScope();
        var client = Assert.Single(await scope.ServiceProvider.GetRequiredService<EdgeClientStore>().ListAsync());
        Assert.Equal(new EdgeClient("research-frontend", "public", "Research agents (sample frontend)", [$"http://127.0.0.1:{moved.Port("frontend")}/signin-oidc"],
            ["authorization_code", "refresh_token"], ["profile", "offline_access"]), client, new ClientComparer());
    }

    [Fact]
    public async Task SampleBuild_BuildsOnlyWhatIsMissing_AFailureNamesItsLog()
    {
        var samples = Path.Combine(_root, "samples");
        // The writer's project is broken; the researcher is built already; the frontend has no project here.
        Directory.CreateDirectory(Path.Combine(samples, "Writer"));
        File.WriteAllText(Path.Combine(samples, "Writer", "ResearchAgents.Writer.csproj"), "<Project><Oops</Project>\n");
        var researcher = Directory.CreateDirectory(Path.Combine(samples, "Researcher", "bin", "Release", "net10.0")).FullName;
        File.WriteAllText(Path.Combine(samples, "Researcher", "ResearchAgents.Researcher.csproj"), "<Project><Oops</Project>\n");
        File.WriteAllText(Path.Combine(researcher, "ResearchAgents.Researcher"), "");

        var output = new StringWriter { NewLine = "\n" };
        var failures = await SampleBuild.BuildMissingAsync(_dir, FabricChildren.SampleProjects(samples), output, TimeProvider.System, CancellationToken.None);

        var log = _dir.LogFile("build-writer");
        var reason = $"the build failed (dotnet build exit code 1; see {log})";
        Assert.Equal(new Dictionary<string, string> { ["writer"] = reason }, failures);
        Assert.Equal($"writer: building {Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(samples, "Writer", "ResearchAgents.Writer.csproj"))} (first run; output in {log})…\nwriter: {reason}\n", output.ToString());
        Assert.Contains("ResearchAgents.Writer.csproj", File.ReadAllText(log), StringComparison.Ordinal);
    }

    /// <summary>Clients by value, lists element by element (a record compares lists by reference).</summary>
    private sealed class ClientComparer : IEqualityComparer<EdgeClient>
    {
        public bool Equals(EdgeClient? x, EdgeClient? y) =>
            x is not null && y is not null && x.ClientId == y.ClientId && x.ClientType == y.ClientType && x.DisplayName == y.DisplayName
            && x.RedirectUris.SequenceEqual(y.RedirectUris) && x.GrantTypes.SequenceEqual(y.GrantTypes) && x.Scopes.SequenceEqual(y.Scopes);

        public int GetHashCode(EdgeClient obj) => obj.ClientId.GetHashCode(StringComparison.Ordinal);
    }
}
