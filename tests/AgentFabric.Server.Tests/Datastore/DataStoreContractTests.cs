using AgentFabric.Server.Datastore;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Tests.Datastore;

/// <summary>One contract, run against SQLite and PostgreSQL.</summary>
public class DataStoreContractTests
{
    private static RegistrationEntry Entry(string spiffeId = "spiffe://example.org/service/teg-core", string parent = "spiffe://example.org/spire-agent", params string[] selectors) => new()
    {
        SpiffeId = SpiffeId.Parse(spiffeId),
        ParentId = SpiffeId.Parse(parent),
        Selectors = (selectors.Length == 0 ? ["docker:label:com.agentvault.service:teg-core"] : selectors)
            .Select(s => Selector.TryParse(s, out var sel) ? sel : throw new ArgumentException(s)).ToArray(),
        X509SvidTtl = 3600,
        JwtSvidTtl = 300,
        DnsNames = ["teg-core.local"],
        Hint = "external",
    };

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Entries_CreateGetUpdateDelete_WithRevisions(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        var store = t.Store;
        Assert.Equal(0, await store.GetRevisionAsync());
        var created = await store.CreateEntryAsync(Entry());
        Assert.Equal(36, created.EntryId.Length);
        Assert.Equal(1, created.Revision);

        var read = await store.GetEntryAsync(created.EntryId);
        Assert.NotNull(read);
        Assert.Equal("spiffe://example.org/service/teg-core", read.SpiffeId.ToString());
        Assert.Equal([new Selector("docker", "label:com.agentvault.service:teg-core")], read.Selectors);
        Assert.Equal(3600, read.X509SvidTtl);
        Assert.Equal(300, read.JwtSvidTtl);
        Assert.Equal(["teg-core.local"], read.DnsNames);
        Assert.Equal("external", read.Hint);

        var updated = await store.UpdateEntryAsync(read with { X509SvidTtl = 60, Admin = true });
        Assert.Equal(2, updated.Revision);
        Assert.True((await store.GetEntryAsync(created.EntryId))!.Admin);

        var deleted = await store.DeleteEntryAsync(created.EntryId);
        Assert.Equal(3, deleted!.Revision);
        Assert.Null(await store.GetEntryAsync(created.EntryId));
        Assert.Null(await store.DeleteEntryAsync(created.EntryId));
        Assert.Equal(3, await store.GetRevisionAsync());
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task DuplicateEntry_IsRefused_AndNothingChanges(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        var first = await t.Store.CreateEntryAsync(Entry());
        var e = await Assert.ThrowsAsync<DatastoreException>(() => t.Store.CreateEntryAsync(Entry()));
        Assert.Equal(DatastoreError.AlreadyExists, e.Error);
        Assert.Equal($"datastore: similar entry already exists (entry ID \"{first.EntryId}\" has the same SPIFFE ID, parent ID and selectors)", e.Message);
        Assert.Equal(1, await t.Store.CountEntriesAsync());
        Assert.Equal(1, await t.Store.GetRevisionAsync());

        var idClash = await Assert.ThrowsAsync<DatastoreException>(() => t.Store.CreateEntryAsync(Entry("spiffe://example.org/other") with { EntryId = first.EntryId }));
        Assert.Equal($"datastore: a registration entry with ID \"{first.EntryId}\" already exists", idClash.Message);

        // Same selectors in another order are the same entry.
        var two = await t.Store.CreateEntryAsync(Entry("spiffe://example.org/x", "spiffe://example.org/p", "unix:uid:1", "unix:gid:2"));
        await Assert.ThrowsAsync<DatastoreException>(() => t.Store.CreateEntryAsync(Entry("spiffe://example.org/x", "spiffe://example.org/p", "unix:gid:2", "unix:uid:1")));
        Assert.Equal(2, await t.Store.CountEntriesAsync());
        Assert.NotNull(two);
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task UpdateOfMissingEntry_IsNotFound(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        var e = await Assert.ThrowsAsync<DatastoreException>(() => t.Store.UpdateEntryAsync(Entry() with { EntryId = "nope" }));
        Assert.Equal(DatastoreError.NotFound, e.Error);
        Assert.Equal("datastore: no registration entry with ID \"nope\"", e.Message);
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task ListEntries_FiltersBySpiffeIdParentSelectorsAndFederation(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        await t.Store.SetBundleAsync("partner.com", "pem", "{}", 300);
        var a = await t.Store.CreateEntryAsync(Entry("spiffe://example.org/a", "spiffe://example.org/node", "unix:uid:1", "unix:gid:2"));
        var b = await t.Store.CreateEntryAsync(Entry("spiffe://example.org/b", "spiffe://example.org/node", "unix:uid:1") with { FederatesWith = ["partner.com"] });
        var c = await t.Store.CreateEntryAsync(Entry("spiffe://example.org/c", "spiffe://example.org/other", "k8s:pod-name:agent-123"));

        Assert.Equal([a.EntryId, b.EntryId, c.EntryId], (await t.Store.ListEntriesAsync(EntryFilter.All)).Select(e => e.EntryId));
        Assert.Equal([c.EntryId], (await t.Store.ListEntriesAsync(new EntryFilter { SpiffeId = "spiffe://example.org/c" })).Select(e => e.EntryId));
        Assert.Equal([a.EntryId, b.EntryId], (await t.Store.ListEntriesAsync(new EntryFilter { ParentId = "spiffe://example.org/node" })).Select(e => e.EntryId));
        Assert.Equal([a.EntryId, b.EntryId], (await t.Store.ListEntriesAsync(new EntryFilter { Selectors = [new("unix", "uid:1")] })).Select(e => e.EntryId));
        Assert.Equal([a.EntryId], (await t.Store.ListEntriesAsync(new EntryFilter { Selectors = [new("unix", "uid:1"), new("unix", "gid:2")] })).Select(e => e.EntryId));
        Assert.Equal([b.EntryId], (await t.Store.ListEntriesAsync(new EntryFilter { FederatesWith = "partner.com" })).Select(e => e.EntryId));
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task FederatesWith_NeedsABundle_AndBundleDeleteIsRestricted(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        var e = await Assert.ThrowsAsync<DatastoreException>(() => t.Store.CreateEntryAsync(Entry() with { FederatesWith = ["partner.com"] }));
        Assert.Equal(DatastoreError.FailedPrecondition, e.Error);
        Assert.Equal("datastore: no bundle for federated trust domain \"partner.com\"; set it first (bundle set)", e.Message);
        Assert.Equal(0, await t.Store.CountEntriesAsync());

        var first = await t.Store.SetBundleAsync("partner.com", "pem1", "{}", 300);
        Assert.Equal(1, first.SequenceNumber);
        var second = await t.Store.SetBundleAsync("partner.com", "pem2", "{}", 60);
        Assert.Equal(2, second.SequenceNumber);
        Assert.Equal("pem2", (await t.Store.GetBundleAsync("partner.com"))!.X509AuthoritiesPem);

        var entry = await t.Store.CreateEntryAsync(Entry() with { FederatesWith = ["partner.com"] });
        var restricted = await Assert.ThrowsAsync<DatastoreException>(() => t.Store.DeleteBundleAsync("partner.com"));
        Assert.Equal("datastore: cannot delete bundle; federated with 1 registration entries", restricted.Message);
        await t.Store.DeleteEntryAsync(entry.EntryId);
        Assert.True(await t.Store.DeleteBundleAsync("partner.com"));
        Assert.False(await t.Store.DeleteBundleAsync("partner.com"));
        Assert.Empty(await t.Store.ListBundlesAsync());
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task JoinToken_IsConsumedExactlyOnce_UnderConcurrency(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        await t.Store.CreateJoinTokenAsync("tok-1", 1234);
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => t.Store.ConsumeJoinTokenAsync("tok-1"))));
        Assert.Single(attempts, a => a == 1234);
        Assert.Equal(7, attempts.Count(a => a is null));
        Assert.Null(await t.Store.ConsumeJoinTokenAsync("never-issued"));

        await t.Store.CreateJoinTokenAsync("old", 100);
        await t.Store.CreateJoinTokenAsync("fresh", 300);
        Assert.Equal(1, await t.Store.PruneJoinTokensAsync(200));
        Assert.Null(await t.Store.ConsumeJoinTokenAsync("old"));
        Assert.Equal(300, await t.Store.ConsumeJoinTokenAsync("fresh"));
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task AttestedNodes_CreateUpdateBanDelete(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        var id = "spiffe://example.org/spire/agent/join_token/abc";
        await t.Store.CreateAttestedNodeAsync(new AttestedNode(id, "join_token", "01", 100, false, 0));
        var dup = await Assert.ThrowsAsync<DatastoreException>(() => t.Store.CreateAttestedNodeAsync(new AttestedNode(id, "join_token", "02", 100, false, 0)));
        Assert.Equal($"datastore: node \"{id}\" is already attested", dup.Message);
        await t.Store.UpdateAttestedNodeCertAsync(id, "03", 200);
        var node = await t.Store.GetAttestedNodeAsync(id);
        Assert.Equal(("03", 200L, false), (node!.CertSerial, node.CertNotAfter, node.Banned));
        await t.Store.SetAttestedNodeBannedAsync(id, true);
        node = await t.Store.GetAttestedNodeAsync(id);
        Assert.Equal(("", true), (node!.CertSerial, node.Banned));
        Assert.Single(await t.Store.ListAttestedNodesAsync());
        Assert.True(await t.Store.DeleteAttestedNodeAsync(id));
        Assert.False(await t.Store.DeleteAttestedNodeAsync(id));
        var missing = await Assert.ThrowsAsync<DatastoreException>(() => t.Store.SetAttestedNodeBannedAsync(id, true));
        Assert.Equal($"datastore: no attested node \"{id}\"", missing.Message);
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task AttestedNodeCert_IsReplacedOnlyFromTheExpectedSerial_AndOnlyOnce(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        var id = "spiffe://example.org/spire/agent/join_token/abc";
        await t.Store.CreateAttestedNodeAsync(new AttestedNode(id, "join_token", "0A", 100, false, 0));
        Assert.False(await t.Store.ReplaceAttestedNodeCertAsync(id, "0B", "0C", 300));
        Assert.Equal(("0A", 100L), ((await t.Store.GetAttestedNodeAsync(id))!.CertSerial, (await t.Store.GetAttestedNodeAsync(id))!.CertNotAfter));

        // Eight concurrent swaps from the same serial: exactly one wins.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => t.Store.ReplaceAttestedNodeCertAsync(id, "0A", $"1{i}", 200 + i))));
        var winner = Assert.Single(Enumerable.Range(0, 8), i => attempts[i]);
        var node = await t.Store.GetAttestedNodeAsync(id);
        Assert.Equal(($"1{winner}", 200L + winner), (node!.CertSerial, node.CertNotAfter));

        // A banned node keeps no serial to swap from; an evicted node has no row.
        await t.Store.SetAttestedNodeBannedAsync(id, true);
        Assert.False(await t.Store.ReplaceAttestedNodeCertAsync(id, "", "20", 300));
        Assert.True(await t.Store.DeleteAttestedNodeAsync(id));
        Assert.False(await t.Store.ReplaceAttestedNodeCertAsync(id, $"1{winner}", "21", 300));
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task ConcurrentWriters_GetDistinctRevisions_AndNoDuplicate(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        await using var second = await t.ReopenAsync();
        var tasks = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? (IDataStore)t.Store : second;
            try
            {
                // Every 4th writer races on the same entry: exactly one of them may win.
                var spiffe = i % 4 == 0 ? "spiffe://example.org/contended" : $"spiffe://example.org/w{i}";
                return await store.CreateEntryAsync(Entry(spiffe));
            }
            catch (DatastoreException e) when (e.Error == DatastoreError.AlreadyExists)
            {
                return null;
            }
        }));
        var results = await Task.WhenAll(tasks);
        var created = results.Where(r => r is not null).ToList();
        Assert.Equal(31, created.Count);
        Assert.Equal(31, created.Select(c => c!.Revision).Distinct().Count());
        Assert.Equal(31, await t.Store.CountEntriesAsync());
        Assert.Equal(31, await t.Store.GetRevisionAsync());
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Reopen_KeepsEverything_AndMigrationsAreIdempotent(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        var entry = await t.Store.CreateEntryAsync(Entry());
        await t.Store.CreateAttestedNodeAsync(new AttestedNode("spiffe://example.org/n", "join_token", "01", 100, false, 0));
        await using var reopened = await t.ReopenAsync();
        Assert.Equal(2, await reopened.GetSchemaVersionAsync());
        Assert.Equal(entry.EntryId, (await reopened.GetEntryAsync(entry.EntryId))!.EntryId);
        Assert.NotNull(await reopened.GetAttestedNodeAsync("spiffe://example.org/n"));
    }
}
