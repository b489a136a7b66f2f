using AgentFabric.Server.Datastore;

namespace AgentFabric.Server.Tests.Datastore;

/// <summary>Listing and deleting expired attested nodes (agent purge, prune_attested_nodes_expired_for), run against
/// SQLite and PostgreSQL.</summary>
public class NodePruningContractTests
{
    private const string Td = "spiffe://example.org/spire/agent/join_token/";

    // Expiries (Unix seconds) of five nodes; "banned" is expired longest but banned.
    private static async Task SeedAsync(SqlDataStore store)
    {
        await store.CreateAttestedNodeAsync(new AttestedNode(Td + "a", "join_token", "0A", 1_000, false, 0));
        await store.CreateAttestedNodeAsync(new AttestedNode(Td + "b", "join_token", "0B", 3_000, false, 0));
        await store.CreateAttestedNodeAsync(new AttestedNode(Td + "c", "join_token", "0C", 2_000, false, 0));
        await store.CreateAttestedNodeAsync(new AttestedNode(Td + "banned", "join_token", "0D", 500, false, 0));
        await store.SetAttestedNodeBannedAsync(Td + "banned", true);
        await store.CreateAttestedNodeAsync(new AttestedNode(Td + "fresh", "join_token", "0E", 9_000, false, 0));
    }

    // (cutoff, limit, nodes expected in order): strictly before the cutoff, banned left out, longest expired first.
    private static readonly (long Before, int Limit, string[] Expected)[] s_listCases =
    [
        (2_001, 10, ["a", "c"]),
        (3_001, 10, ["a", "c", "b"]),
        (3_001, 2, ["a", "c"]),
        (1_000, 10, []),
        (1_001, 1, ["a"]),
        (99_999, 10, ["a", "c", "b", "fresh"]),
    ];

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task ListExpired_IsNotBanned_ExpiredStrictlyBefore_LongestExpiredFirst_UpToTheLimit(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        await SeedAsync(t.Store);

        foreach (var (before, limit, expected) in s_listCases)
        {
            var nodes = await t.Store.ListExpiredAttestedNodesAsync(before, limit);
            Assert.Equal(expected.Select(n => Td + n), nodes.Select(n => n.SpiffeId));
        }
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task DeleteExpired_DeletesOnlyANodeStillExpiredAndNotBanned(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        await SeedAsync(t.Store);

        Assert.True(await t.Store.DeleteExpiredAttestedNodeAsync(Td + "a", 2_001));
        Assert.Null(await t.Store.GetAttestedNodeAsync(Td + "a"));
        Assert.False(await t.Store.DeleteExpiredAttestedNodeAsync(Td + "a", 2_001));

        // The node renewed after it was listed: its new expiry is past the cutoff, so it stays.
        await t.Store.UpdateAttestedNodeCertAsync(Td + "c", "1C", 5_000);
        Assert.False(await t.Store.DeleteExpiredAttestedNodeAsync(Td + "c", 2_001));
        Assert.NotNull(await t.Store.GetAttestedNodeAsync(Td + "c"));

        // A banned node keeps its record (the ban), however long ago it expired.
        Assert.False(await t.Store.DeleteExpiredAttestedNodeAsync(Td + "banned", 9_999));
        Assert.True((await t.Store.GetAttestedNodeAsync(Td + "banned"))!.Banned);

        Assert.Equal(["b", "banned", "c", "fresh"], (await t.Store.ListAttestedNodesAsync()).Select(n => n.SpiffeId[Td.Length..]).Order(StringComparer.Ordinal));
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task ListExpired_RefusesANonPositiveLimit(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => t.Store.ListExpiredAttestedNodesAsync(10, 0));
    }
}
