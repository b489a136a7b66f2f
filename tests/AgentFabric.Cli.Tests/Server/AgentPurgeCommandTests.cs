using AgentFabric.Server.Datastore;

namespace AgentFabric.Cli.Tests.Server;

/// <summary><c>agent purge</c> in-process against a real server whose datastore holds agents that expired at known
/// times: what it prints (spire-server's words), what it deletes, and its refusals.</summary>
public sealed class AgentPurgeCommandTests
{
    private const string Node = "spiffe://agentvault.com/spire/agent/join_token/";

    // Expired 40, 31 and 10 days ago, banned 60 days ago, and one still valid.
    private static async Task<CliServerFixture> StartAsync()
    {
        var server = new CliServerFixture();
        await server.InitializeAsync();
        var now = DateTimeOffset.UtcNow;
        var store = server.Host.Runtime.Store;
        foreach (var (name, age) in new[] { ("forty", 40), ("thirtyone", 31), ("ten", 10), ("banned", 60), ("live", -1) })
        {
            await store.CreateAttestedNodeAsync(new AttestedNode(Node + name, "join_token", name, (now - TimeSpan.FromDays(age)).ToUnixTimeSeconds(), false, 0));
        }

        await store.SetAttestedNodeBannedAsync(Node + "banned", true);
        return server;
    }

    private static async Task<string[]> RemainingAsync(CliServerFixture server) =>
        (await server.Host.Runtime.Store.ListAttestedNodesAsync()).Select(n => n.SpiffeId[Node.Length..]).Order(StringComparer.Ordinal).ToArray();

    private static Task<(int Exit, string Out, string Err)> RunAsync(CliServerFixture server, params string[] args) =>
        CliRun.InvokeAsync(["agent", "purge", .. args, "-socketPath", server.SocketPath]);

    [Fact]
    public async Task ByDefault_PurgesAgentsExpiredMoreThan720hAgo_ButNeverABannedOne()
    {
        var server = await StartAsync();
        try
        {
            var result = await RunAsync(server);

            Assert.Equal((0, ""), (result.Exit, result.Err));
            Assert.Equal(
                $"""
                Found 2 expired agents

                Agents purged:
                SPIFFE ID         : {Node}forty
                SPIFFE ID         : {Node}thirtyone

                """,
                result.Out);
            Assert.Equal(["banned", "live", "ten"], await RemainingAsync(server));

            var again = await RunAsync(server);
            Assert.Equal((0, "No agents to purge.\n", ""), again);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task DryRun_PrintsWhatWouldBePurged_AndDeletesNothing()
    {
        var server = await StartAsync();
        try
        {
            var result = await RunAsync(server, "-dryRun", "-expiredFor", "239h");

            Assert.Equal((0, ""), (result.Exit, result.Err));
            Assert.Equal(
                $"""
                Found 3 expired agents


                Agents that can be purged:
                SPIFFE ID         : {Node}forty
                SPIFFE ID         : {Node}thirtyone
                SPIFFE ID         : {Node}ten

                """,
                result.Out);
            Assert.Equal(["banned", "forty", "live", "ten", "thirtyone"], await RemainingAsync(server));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Json_IsSpiresDocument()
    {
        var server = await StartAsync();
        try
        {
            var dry = await RunAsync(server, "-dryRun", "-expiredFor", "900h", "-output", "json");
            Assert.Equal((0, $$"""{"expired_agents":[{"agent_id":"{{Node}}forty","deleted":false}]}""" + "\n", ""), dry);

            var result = await RunAsync(server, "-expiredFor", "1h30m", "-output", "json");
            Assert.Equal(
                (0, $$"""{"expired_agents":[{"agent_id":"{{Node}}forty","deleted":true},{"agent_id":"{{Node}}thirtyone","deleted":true},{"agent_id":"{{Node}}ten","deleted":true}]}""" + "\n", ""),
                result);
            Assert.Equal(["banned", "live"], await RemainingAsync(server));

            var none = await RunAsync(server, "-output", "json");
            Assert.Equal((0, """{"expired_agents":[]}""" + "\n", ""), none);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("soon", "invalid value \"soon\" for flag -expiredFor: parse error")]
    [InlineData("30", "invalid value \"30\" for flag -expiredFor: parse error")]
    [InlineData("30d", "invalid value \"30d\" for flag -expiredFor: parse error")]
    [InlineData("-1h", "-expiredFor must not be negative, got \"-1h\"")]
    public async Task ABadExpiredFor_IsRefusedBeforeAnyCall(string value, string expected)
    {
        var result = await CliRun.InvokeAsync("agent", "purge", "-expiredFor", value, "-socketPath", "/nonexistent/api.sock");

        Assert.Equal(1, result.Exit);
        Assert.Equal(expected, result.Err.Split('\n')[0]);
    }

    [Fact]
    public async Task AnUnreachableServer_IsOneErrorLine()
    {
        var result = await CliRun.InvokeAsync("agent", "purge", "-socketPath", "/nonexistent/api.sock");

        Assert.Equal(1, result.Exit);
        Assert.StartsWith("Error: cannot reach the server's Admin API: ", result.Err, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }
}
