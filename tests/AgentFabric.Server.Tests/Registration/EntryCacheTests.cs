using AgentFabric.Server.Registration;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Tests.Registration;

public class EntryCacheTests
{
    private static RegistrationEntry E(string id, string spiffe, string parent, long expires = 0) => new()
    {
        EntryId = id, SpiffeId = SpiffeId.Parse(spiffe), ParentId = SpiffeId.Parse(parent), Selectors = [new("unix", "uid:1")], ExpiresAt = expires, Revision = 1,
    };

    private const string NodeText = "spiffe://td/spire/agent/join_token/t1";

    private static readonly SpiffeId Node = SpiffeId.Parse(NodeText);

    private static EntryCache Tree()
    {
        var cache = new EntryCache();
        cache.Load(
        [
            E("alias", "spiffe://td/spire-agent", NodeText),
            E("a", "spiffe://td/service/registry-backend", "spiffe://td/spire-agent"),
            E("b", "spiffe://td/agent/agent123", "spiffe://td/service/registry-backend"),
            E("other", "spiffe://td/service/x", "spiffe://td/spire/agent/join_token/t2"),
            E("expired", "spiffe://td/service/old", NodeText, expires: 100),
            E("loop1", "spiffe://td/l1", "spiffe://td/l2"),
            E("loop2", "spiffe://td/l2", "spiffe://td/l1"),
        ], 7);
        return cache;
    }

    [Fact]
    public void AuthorizedEntries_AreTheNodesDescendants()
    {
        var ids = Tree().AuthorizedEntries(Node, nowUnix: 1000).Select(e => e.EntryId).Order();
        Assert.Equal(["a", "alias", "b"], ids);
    }

    [Theory]
    [InlineData("alias", true)]
    [InlineData("a", true)]
    [InlineData("b", true)]
    [InlineData("other", false)]
    [InlineData("expired", false)]
    [InlineData("loop1", false)]
    [InlineData("missing", false)]
    public void GetIfAuthorized_WalksUpToTheNode(string entryId, bool authorized) =>
        Assert.Equal(authorized, Tree().GetIfAuthorized(Node, entryId, nowUnix: 1000) is not null);

    [Fact]
    public void RemovingAnAncestor_RevokesTheSubtree()
    {
        var cache = Tree();
        cache.Remove("alias", 8);
        Assert.Empty(cache.AuthorizedEntries(Node, 1000));
        Assert.Null(cache.GetIfAuthorized(Node, "b", 1000));
        Assert.Equal(8, cache.Revision);
    }

    [Fact]
    public async Task ChangeSignal_WakesWaitersOnChange()
    {
        var cache = Tree();
        var next = cache.Changed.Next;
        Assert.False(next.IsCompleted);
        cache.Upsert(E("c", "spiffe://td/c", NodeText) with { Revision = 9 });
        await next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(9, cache.Revision);
    }
}
