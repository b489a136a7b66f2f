using AgentFabric.Agent.Cache;
using AgentFabric.Agent.Identity;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Testing;

namespace AgentFabric.Agent.Tests.Cache;

public sealed class WorkloadSvidCacheTests : IDisposable
{
    private readonly LocalCaIdentityProvider _provider = new();

    public void Dispose() => _provider.Dispose();

    private static RegistrationEntry Entry(int i) =>
        new("e" + i, SpiffeId.Parse("spiffe://example.org/w" + i), [new Selector("unix", "uid:" + i)]);

    [Fact]
    public async Task Lru_EvictsUnsubscribedBeyondLimit_KeepsSubscribed()
    {
        var entries = Enumerable.Range(1, 4).Select(Entry).ToArray();
        _provider.SetEntries(entries);
        var cache = new WorkloadSvidCache(_provider, new WorkloadSvidCacheOptions { X509SvidCacheMaxSize = 2 }, TimeProvider.System);
        using var subscription = cache.Subscribe(["e1"]);

        foreach (var entry in entries)
        {
            await cache.GetX509SvidAsync(entry, CancellationToken.None);
        }

        Assert.Equal(2, cache.X509Count);
        var signedBefore = _provider.SignedCount;
        await cache.GetX509SvidAsync(entries[0], CancellationToken.None); // subscribed: still cached
        await cache.GetX509SvidAsync(entries[3], CancellationToken.None); // most recent: still cached
        Assert.Equal(signedBefore, _provider.SignedCount);
        await cache.GetX509SvidAsync(entries[1], CancellationToken.None); // evicted: issued again
        Assert.Equal(signedBefore + 1, _provider.SignedCount);
        Assert.Equal(2, cache.X509Count);
    }

    [Fact]
    public async Task RemovedEntry_DroppedOnNextRotationCheck()
    {
        _provider.SetEntries(Entry(1), Entry(2));
        var cache = new WorkloadSvidCache(_provider, new WorkloadSvidCacheOptions(), TimeProvider.System);
        await cache.GetX509SvidAsync(Entry(1), CancellationToken.None);
        await cache.GetX509SvidAsync(Entry(2), CancellationToken.None);
        var changed = cache.Changes.Next;

        _provider.SetEntries(Entry(1));
        await cache.RotateDueAsync(CancellationToken.None);

        Assert.Equal(1, cache.X509Count);
        Assert.True(changed.IsCompleted);
    }

    [Fact]
    public async Task JwtSvids_HardLimitAndRefreshAheadOfExpiry()
    {
        var entry = Entry(1) with { JwtSvidTtl = 2 };
        var time = TestTime.StartingNow();
        using var provider = new LocalCaIdentityProvider { Time = time };
        provider.SetEntries(entry);
        var cache = new WorkloadSvidCache(provider, new WorkloadSvidCacheOptions { JwtSvidCacheMaxSize = 2 }, time);

        var a = await cache.GetJwtSvidAsync(entry, ["a"], CancellationToken.None);
        await cache.GetJwtSvidAsync(entry, ["b"], CancellationToken.None);
        await cache.GetJwtSvidAsync(entry, ["c"], CancellationToken.None);
        Assert.Equal(2, cache.JwtCount);

        var c = await cache.GetJwtSvidAsync(entry, ["c"], CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(1100)); // past half of the 2 s lifetime
        await cache.RotateDueAsync(CancellationToken.None);  // refreshed in the background...
        var refreshed = await cache.GetJwtSvidAsync(entry, ["c"], CancellationToken.None);

        Assert.NotEqual(c.Token, refreshed.Token);      // ...so the caller gets a fresh token without waiting
        Assert.True(refreshed.Expiry > c.Expiry);
        Assert.Equal(["a"], a.Audience);
    }
}
