using AgentFabric.Server.Datastore;
using AgentFabric.Server.Registration;
using AgentFabric.Server.Tests.Api;
using AgentFabric.Server.Tests.Datastore;
using AgentFabric.Spiffe;
using AgentFabric.Testing;

namespace AgentFabric.Server.Tests.Registration;

/// <summary>The prune_attested_nodes_expired_for timer, on a fake clock.</summary>
public class ExpiredAgentPrunerTests
{
    private const string Node = "spiffe://example.org/spire/agent/join_token/";
    private static readonly TrustDomain s_td = TrustDomain.Parse("example.org");

    private static async Task<List<string>> NodesAsync(IDataStore store) =>
        (await store.ListAttestedNodesAsync()).Select(n => n.SpiffeId[Node.Length..]).Order(StringComparer.Ordinal).ToList();

    private static async Task<List<string>> WaitForNodesAsync(IDataStore store, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var nodes = await NodesAsync(store);
            if (nodes.Count == count || DateTime.UtcNow > deadline)
            {
                return nodes;
            }

            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task EveryHour_PrunesAgentsExpiredLongerThanTheSetting_KeepingBannedAndRecentOnes()
    {
        var time = TestTime.StartingNow();
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        await using var t = await TestStore.OpenAsync("sqlite", time);
        await t.Store.CreateAttestedNodeAsync(new AttestedNode(Node + "old", "join_token", "01", now - 3 * 86400, false, 0));
        await t.Store.CreateAttestedNodeAsync(new AttestedNode(Node + "older", "join_token", "02", now - 5 * 86400, false, 0));
        await t.Store.CreateAttestedNodeAsync(new AttestedNode(Node + "banned", "join_token", "03", now - 9 * 86400, false, 0));
        await t.Store.SetAttestedNodeBannedAsync(Node + "banned", true);
        // Expires 2 days minus 30 minutes ago now; past 2 days once the clock has moved an hour.
        await t.Store.CreateAttestedNodeAsync(new AttestedNode(Node + "recent", "join_token", "04", now - (2 * 86400) + 1800, false, 0));
        await t.Store.CreateAttestedNodeAsync(new AttestedNode(Node + "live", "join_token", "05", now + 3600, false, 0));
        var registration = new RegistrationService(s_td, t.Store, new EntryCache(), time);
        var nodesChanged = registration.NodesChanged.Next;
        var logs = new ListLoggerProvider();
        var pruner = new ExpiredAgentPruner(registration, TimeSpan.FromDays(2), 1000, time, logs.CreateLogger("test"));
        using var stop = new CancellationTokenSource();
        var loop = pruner.RunAsync(stop.Token);

        // Nothing before the first hour has passed.
        time.Advance(TimeSpan.FromMinutes(59));
        await Task.Delay(50);
        Assert.Equal(["banned", "live", "old", "older", "recent"], await NodesAsync(t.Store));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["banned", "live"], await WaitForNodesAsync(t.Store, 2));
        Assert.Equal(
            [$"Pruned attested agent {Node}older: its node SVID expired more than 2.00:00:00 ago", $"Pruned attested agent {Node}old: its node SVID expired more than 2.00:00:00 ago", $"Pruned attested agent {Node}recent: its node SVID expired more than 2.00:00:00 ago"],
            logs.Records.Where(r => r.EventId == 1004).Select(r => r.Message));
        Assert.True(nodesChanged.IsCompleted);

        await stop.CancelAsync();
        await loop;
    }

    [Fact]
    public async Task ABatchLimitsEachCycle_TheRestGoesNextHour()
    {
        var time = TestTime.StartingNow();
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        await using var t = await TestStore.OpenAsync("sqlite", time);
        foreach (var (name, daysAgo) in new[] { ("a", 10), ("b", 9), ("c", 8) })
        {
            await t.Store.CreateAttestedNodeAsync(new AttestedNode(Node + name, "join_token", name, now - (daysAgo * 86400), false, 0));
        }

        var registration = new RegistrationService(s_td, t.Store, new EntryCache(), time);
        var pruner = new ExpiredAgentPruner(registration, TimeSpan.FromDays(1), 2, time, new ListLoggerProvider().CreateLogger("test"));
        using var stop = new CancellationTokenSource();
        var loop = pruner.RunAsync(stop.Token);

        time.Advance(ExpiredAgentPruner.Interval);
        Assert.Equal(["c"], await WaitForNodesAsync(t.Store, 1));
        time.Advance(ExpiredAgentPruner.Interval);
        Assert.Empty(await WaitForNodesAsync(t.Store, 0));

        await stop.CancelAsync();
        await loop;
    }

    [Fact]
    public async Task AFailedCycle_IsLogged_AndTheLoopGoesOn()
    {
        var time = TestTime.StartingNow();
        var t = await TestStore.OpenAsync("sqlite", time);
        var registration = new RegistrationService(s_td, t.Store, new EntryCache(), time);
        var logs = new ListLoggerProvider();
        var pruner = new ExpiredAgentPruner(registration, TimeSpan.FromDays(1), 10, time, logs.CreateLogger("test"));
        await t.DisposeAsync();

        Assert.Empty(await pruner.PruneOnceAsync(CancellationToken.None));
        var failed = Assert.Single(logs.Records, r => r.EventId == 1005);
        Assert.StartsWith("Pruning expired attested agents failed: ", failed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(-60, 10)]
    [InlineData(60, 0)]
    public async Task BadSettings_AreACallersBug(int expiredForSeconds, int batchSize)
    {
        await using var t = await TestStore.OpenAsync("sqlite");
        var registration = new RegistrationService(s_td, t.Store, new EntryCache(), TimeProvider.System);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExpiredAgentPruner(registration, TimeSpan.FromSeconds(expiredForSeconds), batchSize, TimeProvider.System, new ListLoggerProvider().CreateLogger("test")));
    }
}
