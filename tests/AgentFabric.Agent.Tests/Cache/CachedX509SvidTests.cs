using AgentFabric.Agent.Cache;
using AgentFabric.Agent.Identity;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.Agent.Tests.Cache;

/// <summary>What the cache keeps of an issued X.509-SVID: the Workload API's bytes, checked at issue, with no
/// certificate handle left open.</summary>
public sealed class CachedX509SvidTests : IDisposable
{
    private static readonly RegistrationEntry W1 = Entry("e1", "w1");
    private static readonly RegistrationEntry W2 = Entry("e2", "w2");
    private readonly LocalCaIdentityProvider _ca = new() { Backdate = TimeSpan.FromSeconds(10) };

    public CachedX509SvidTests() => _ca.SetEntries(W1, W2);

    public void Dispose() => _ca.Dispose();

    private static RegistrationEntry Entry(string id, string path) =>
        new(id, SpiffeId.Parse("spiffe://example.org/" + path), [new Selector("unix", "uid:1")]) { X509SvidTtl = 300 };

    [Fact]
    public async Task Issued_IsTheSignedChainAndTheAgentsKey_AsTheWorkloadApiSendsThem()
    {
        var relay = new RelayIdentityProvider(_ca, (entry, csr) => _ca.SignX509SvidAsync(entry, csr, CancellationToken.None));
        var cache = new WorkloadSvidCache(relay, new WorkloadSvidCacheOptions(), TimeProvider.System);

        var cached = await cache.GetX509SvidAsync(W1, CancellationToken.None);

        // ParseRaw also checks the key against the leaf (X509-SVID §4): the bytes are a whole SVID.
        var parsed = X509Svid.ParseRaw(cached.Certificates.Span, cached.PrivateKey.Span);
        var signed = Assert.Single(relay.HandedOut);
        Assert.Equal(W1.SpiffeId, cached.Id);
        Assert.Equal(W1.SpiffeId, parsed.Id);
        Assert.Single(parsed.Certificates);
        Assert.Equal(parsed.Leaf.RawData, cached.Certificates.ToArray());
        Assert.Equal(new DateTimeOffset(parsed.Leaf.NotBefore.ToUniversalTime()), cached.NotBefore);
        Assert.Equal(parsed.NotAfter, cached.NotAfter);
        Assert.Equal(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(10), cached.NotAfter - cached.NotBefore);

        // The certificates the server's answer was read into are released at once, not by a finalizer.
        Assert.Equal(IntPtr.Zero, signed.Handle);
        Assert.Same(cached, await cache.GetX509SvidAsync(W1, CancellationToken.None));
    }

    [Fact]
    public async Task ServerSignsAnotherId_Refused_NothingCached_HandlesReleased()
    {
        // A server answering for another entry's identity (X509-SVID §2: the ID is the leaf's URI SAN).
        var relay = new RelayIdentityProvider(_ca, (_, csr) => _ca.SignX509SvidAsync(W2, csr, CancellationToken.None));
        var cache = new WorkloadSvidCache(relay, new WorkloadSvidCacheOptions(), TimeProvider.System);

        var error = await Assert.ThrowsAsync<X509SvidException>(() => cache.GetX509SvidAsync(W1, CancellationToken.None));

        Assert.Equal("agent: the server signed spiffe://example.org/w2 for entry e1 of spiffe://example.org/w1", error.Message);
        Assert.Equal(0, cache.X509Count);
        Assert.Equal(0, cache.X509Issued);
        Assert.Equal(IntPtr.Zero, Assert.Single(relay.HandedOut).Handle);
    }

    [Fact]
    public async Task ServerSendsALeafAsIntermediate_Refused_TheCachedSvidStays()
    {
        bool broken = false;
        var relay = new RelayIdentityProvider(_ca, async (entry, csr) => broken
            ? [.. await _ca.SignX509SvidAsync(entry, csr, CancellationToken.None), .. await _ca.SignX509SvidAsync(entry, csr, CancellationToken.None)]
            : await _ca.SignX509SvidAsync(entry, csr, CancellationToken.None));
        var cache = new WorkloadSvidCache(relay, new WorkloadSvidCacheOptions { RotationLead = TimeSpan.Zero }, TimeProvider.System);
        var good = await cache.GetX509SvidAsync(W1, CancellationToken.None);

        // A different TTL makes the cached SVID stale for the entry: the next fetch issues, the server answers badly.
        broken = true;
        var changed = W1 with { X509SvidTtl = 600 };
        _ca.SetEntries(changed, W2);
        var error = await Assert.ThrowsAsync<AggregateException>(() => cache.RotateDueAsync(CancellationToken.None));

        var refused = Assert.IsType<X509SvidException>(Assert.Single(error.InnerExceptions));
        Assert.Equal("x509svid: signing certificate must have CA flag set to true", refused.Message); // X509-SVID §3.2, §4.1
        Assert.Equal(1, cache.X509Count);
        Assert.Equal(1, cache.X509Issued);
        Assert.Equal(3, relay.HandedOut.Count);
        Assert.All(relay.HandedOut, c => Assert.Equal(IntPtr.Zero, c.Handle));
        Assert.Same(good, await cache.GetX509SvidAsync(W1, CancellationToken.None)); // old entry: still fresh
    }
}
