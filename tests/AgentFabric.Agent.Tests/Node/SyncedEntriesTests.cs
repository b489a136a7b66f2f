using AgentFabric.Agent.Node;
using AgentFabric.Server.Api.V1;
using Google.Protobuf.Collections;

namespace AgentFabric.Agent.Tests.Node;

public class SyncedEntriesTests
{
    private static Entry Workload(string id, long revision = 1, string spiffeId = "spiffe://td/w") => new()
    {
        Id = id,
        SpiffeId = spiffeId,
        ParentId = "spiffe://td/node",
        RevisionNumber = revision,
        Selectors = { new AgentFabric.Server.Api.V1.Selector { Type = "unix", Value = "uid:1000" } },
    };

    private static Entry Alias(string id) => new() { Id = id, SpiffeId = "spiffe://td/node", ParentId = "spiffe://td/spire/agent/x", RevisionNumber = 1 };

    [Fact]
    public void APush_ConvertsOnlyWhatItCarries_UntouchedEntriesKeepTheirParsedInstance()
    {
        var set = new SyncedEntries();
        Assert.True(set.Apply([], [Workload("a"), Workload("b"), Alias("n")]));
        var before = set.Served.ToDictionary(e => e.EntryId);

        Assert.True(set.Apply(["b"], [Workload("c"), Workload("a", 2, "spiffe://td/w2")]));

        var after = set.Served.ToDictionary(e => e.EntryId);
        Assert.Equal(["a", "c"], after.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("spiffe://td/w2", 2L), (after["a"].SpiffeId.ToString(), after["a"].Revision));

        // c untouched by a later push: the same object (not re-parsed).
        Assert.True(set.Apply([], [Workload("d")]));
        Assert.Same(after["c"], set.Served.Single(e => e.EntryId == "c"));
        Assert.NotSame(before["a"], after["a"]);
    }

    [Theory]
    [InlineData(new[] { "absent" }, false)]
    [InlineData(new[] { "n" }, false)]
    [InlineData(new[] { "a" }, true)]
    public void Removal_ChangesTheServedSetOnlyWhenAServedEntryGoes(string[] removed, bool changed)
    {
        var set = new SyncedEntries();
        set.Apply([], [Workload("a"), Alias("n")]);

        Assert.Equal(changed, set.Apply(removed, []));
    }

    [Fact]
    public void AnEntryThatBecomesANodeAlias_IsNoLongerServed_ButItsRevisionIsKept()
    {
        var set = new SyncedEntries();
        set.Apply([], [Workload("a", 1)]);

        Assert.True(set.Apply([], [new Entry { Id = "a", SpiffeId = "spiffe://td/node", ParentId = "spiffe://td/p", RevisionNumber = 2 }]));

        Assert.Empty(set.Served);
        var revisions = new MapField<string, long>();
        set.CopyRevisionsTo(revisions);
        Assert.Equal(2L, revisions["a"]);
    }

    [Fact]
    public void Clear_ForgetsEntriesAndRevisions()
    {
        var set = new SyncedEntries();
        set.Apply([], [Workload("a")]);

        set.Clear();

        Assert.Equal((0, 0), (set.Count, set.Served.Count));
    }

    [Fact]
    public void APublishedList_NeverChanges_LaterPushesMakeNewOnesSortedById()
    {
        var set = new SyncedEntries();
        set.Apply([], [Workload("m"), Workload("b"), Workload("x")]);
        var published = set.Served;

        Assert.True(set.Apply(["x"], [Workload("a"), Workload("m", 2), Workload("a", 3)]));

        Assert.Equal(["b", "m", "x"], published.Select(e => e.EntryId));
        Assert.Equal([("a", 3L), ("b", 1L), ("m", 2L)], set.Served.Select(e => (e.EntryId, e.Revision)));
    }

    [Fact]
    public void APushThatChangesNothingServed_KeepsTheSameList()
    {
        var set = new SyncedEntries();
        set.Apply([], [Workload("a"), Alias("n")]);
        var published = set.Served;

        Assert.False(set.Apply(["absent"], [Alias("n2")]));

        Assert.Same(published, set.Served);
        Assert.Equal(3, set.Count);
    }
}
