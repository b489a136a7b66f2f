using AgentFabric.Server.Datastore;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Tests.Datastore;

/// <summary>The batch write, run against SQLite and PostgreSQL: one transaction, each entry refused or stored on
/// its own.</summary>
public class EntryBatchContractTests
{
    private static RegistrationEntry Entry(string path, string selector = "unix:uid:1000", string entryId = "", params string[] federatesWith) => new()
    {
        EntryId = entryId,
        SpiffeId = SpiffeId.Parse("spiffe://example.org/" + path),
        ParentId = SpiffeId.Parse("spiffe://example.org/spire-agent"),
        Selectors = [Selector.TryParse(selector, out var s) ? s : throw new ArgumentException(selector)],
        FederatesWith = federatesWith,
    };

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Batch_StoresTheGoodEntries_AndRefusesEachBadOneWithItsReason(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        var existing = await t.Store.CreateEntryAsync(Entry("existing", entryId: "taken"));
        var results = await t.Store.CreateEntriesAsync(
        [
            Entry("a"),
            Entry("existing"),                                     // same as a stored entry
            Entry("b", "unix:uid:2"),
            Entry("b", "unix:uid:2"),                              // same as an earlier entry of the batch
            Entry("c", entryId: "taken"),                          // an ID already used
            Entry("d", federatesWith: "partner.org"),              // no bundle for the federated trust domain
            Entry("e", entryId: "chosen-id"),
        ]);

        Assert.Equal(7, results.Count);
        var errors = results.Select(r => r.Error is null ? ((DatastoreError, string)?)null : (r.Error.Error, r.Error.Message)).ToArray();
        var b = results[2].Stored!;
        Assert.Equal<(DatastoreError, string)?>(
            [
                null,
                (DatastoreError.AlreadyExists, $"datastore: similar entry already exists (entry ID \"{existing.EntryId}\" has the same SPIFFE ID, parent ID and selectors)"),
                null,
                (DatastoreError.AlreadyExists, $"datastore: similar entry already exists (entry ID \"{b.EntryId}\" has the same SPIFFE ID, parent ID and selectors)"),
                (DatastoreError.AlreadyExists, "datastore: a registration entry with ID \"taken\" already exists"),
                (DatastoreError.FailedPrecondition, "datastore: no bundle for federated trust domain \"partner.org\"; set it first (bundle set)"),
                null,
            ],
            errors);

        // Consecutive revisions in batch order, no gaps for the refused ones; the counter ends at the last.
        Assert.Equal([2L, 3L, 4L], results.Where(r => r.Stored is not null).Select(r => r.Stored!.Revision));
        Assert.Equal(4, await t.Store.GetRevisionAsync());
        Assert.Equal(4, await t.Store.CountEntriesAsync());
        Assert.Equal("chosen-id", results[6].Stored!.EntryId);
        Assert.Equal(36, results[0].Stored!.EntryId.Length);

        // The selector rows were written too: the stored entries are found by selector.
        var byUid2 = await t.Store.ListEntriesAsync(new EntryFilter { Selectors = [new Selector("unix", "uid:2")] });
        Assert.Equal([b.EntryId], byUid2.Select(e => e.EntryId));
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Batch_WritesFederationRows_WhenTheBundleExists(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        await t.Store.SetBundleAsync("partner.org", string.Empty, "[]", 0);
        var results = await t.Store.CreateEntriesAsync([Entry("a", federatesWith: "partner.org"), Entry("b", federatesWith: "partner.org")]);
        Assert.All(results, r => Assert.Null(r.Error));
        var federated = await t.Store.ListEntriesAsync(new EntryFilter { FederatesWith = "partner.org" });
        Assert.Equal(["spiffe://example.org/a", "spiffe://example.org/b"], federated.Select(e => e.SpiffeId.ToString()));

        // Bundle delete is refused while entries federate with it (restrict), batch-created ones included.
        var refused = await Assert.ThrowsAsync<DatastoreException>(() => t.Store.DeleteBundleAsync("partner.org"));
        Assert.Equal(DatastoreError.FailedPrecondition, refused.Error);
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task EmptyBatch_ChangesNothing(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        Assert.Empty(await t.Store.CreateEntriesAsync([]));
        Assert.Equal(0, await t.Store.GetRevisionAsync());
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task BatchWhereEveryEntryIsRefused_LeavesTheRevisionAlone(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        await t.Store.CreateEntryAsync(Entry("a"));
        var results = await t.Store.CreateEntriesAsync([Entry("a"), Entry("a")]);
        Assert.All(results, r => Assert.Equal(DatastoreError.AlreadyExists, r.Error!.Error));
        Assert.Equal(1, await t.Store.GetRevisionAsync());
        Assert.Equal(1, await t.Store.CountEntriesAsync());
    }
}
