using AgentFabric.Agent.Cache;
using AgentFabric.Agent.Identity;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AgentFabric.Agent.Tests.Cache;

/// <summary>Rotation instants on a manual clock, against a CA that backdates notBefore by 10 s like the server.</summary>
public sealed class WorkloadSvidCacheRotationTests : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private readonly FakeTimeProvider _clock = TestTime.StartingNow();
    private readonly LocalCaIdentityProvider _provider;
    private readonly RegistrationEntry _entry =
        new("e1", SpiffeId.Parse("spiffe://example.org/w1"), [new Selector("unix", "uid:1")]) { X509SvidTtl = 20 };

    public WorkloadSvidCacheRotationTests()
    {
        _provider = new LocalCaIdentityProvider { Time = _clock, Backdate = TimeSpan.FromSeconds(10) };
        _provider.SetEntries(_entry);
    }

    public void Dispose() => _provider.Dispose();

    [Fact]
    public async Task TwentySecondSvid_IsReplacedTwoSecondsBeforeItsHalfLife_TwiceInARow()
    {
        var cache = new WorkloadSvidCache(_provider, new WorkloadSvidCacheOptions(), _clock);
        var start = _clock.GetUtcNow();
        var first = await cache.GetX509SvidAsync(_entry, CancellationToken.None);
        Assert.Equal(start - TimeSpan.FromSeconds(10), first.NotBefore);
        Assert.Equal(start + TimeSpan.FromSeconds(20), first.NotAfter);

        // Half of notBefore..notAfter would be 5 s in; the real lifetime's half is 10 s in, less the 2 s lead.
        _clock.SetUtcNow(start + TimeSpan.FromSeconds(8) - Tick);
        Assert.Equal(0, await cache.RotateDueAsync(CancellationToken.None));
        Assert.Same(first, await cache.GetX509SvidAsync(_entry, CancellationToken.None));

        var changed = cache.Changes.Next;
        _clock.SetUtcNow(start + TimeSpan.FromSeconds(8));
        Assert.Equal(1, await cache.RotateDueAsync(CancellationToken.None));
        Assert.True(changed.IsCompleted);
        var second = await cache.GetX509SvidAsync(_entry, CancellationToken.None);
        Assert.NotEqual(Serial(first), Serial(second));
        Assert.Equal(start + TimeSpan.FromSeconds(28), second.NotAfter);

        // The second one was requested at 8 s: due at 8 + 10 - 2 = 16 s.
        _clock.SetUtcNow(start + TimeSpan.FromSeconds(16) - Tick);
        Assert.Equal(0, await cache.RotateDueAsync(CancellationToken.None));
        _clock.SetUtcNow(start + TimeSpan.FromSeconds(16));
        Assert.Equal(1, await cache.RotateDueAsync(CancellationToken.None));
        Assert.Equal(3, _provider.SignedCount);
        Assert.Equal(3, cache.X509Issued);
    }

    [Fact]
    public async Task Fetch_IssuesOnDemandFromTheRotationInstant()
    {
        var cache = new WorkloadSvidCache(_provider, new WorkloadSvidCacheOptions { RotationLead = TimeSpan.Zero }, _clock);
        var start = _clock.GetUtcNow();
        var first = await cache.GetX509SvidAsync(_entry, CancellationToken.None);

        _clock.SetUtcNow(start + TimeSpan.FromSeconds(10) - Tick);
        Assert.Same(first, await cache.GetX509SvidAsync(_entry, CancellationToken.None));
        _clock.SetUtcNow(start + TimeSpan.FromSeconds(10));
        Assert.NotEqual(Serial(first), Serial(await cache.GetX509SvidAsync(_entry, CancellationToken.None)));
        Assert.Equal(2, _provider.SignedCount);
    }

    [Fact]
    public async Task Outage_KeepsServingUntilNotAfter_ThenRotationResumes()
    {
        var cache = new WorkloadSvidCache(_provider, new WorkloadSvidCacheOptions(), _clock);
        var start = _clock.GetUtcNow();
        var first = await cache.GetX509SvidAsync(_entry, CancellationToken.None);

        _provider.Unreachable = true;
        _clock.SetUtcNow(start + TimeSpan.FromSeconds(19));
        var error = await Assert.ThrowsAsync<AggregateException>(() => cache.RotateDueAsync(CancellationToken.None));
        Assert.Equal("agent: some SVIDs could not be rotated (identity server unreachable)", error.Message);
        Assert.Same(first, await cache.GetX509SvidAsync(_entry, CancellationToken.None));

        // Expired and the server still away: nothing valid to serve, the caller gets the failure.
        _clock.SetUtcNow(start + TimeSpan.FromSeconds(20));
        var expired = await Assert.ThrowsAsync<HttpRequestException>(() => cache.GetX509SvidAsync(_entry, CancellationToken.None));
        Assert.Equal("identity server unreachable", expired.Message);

        _provider.Unreachable = false;
        Assert.Equal(1, await cache.RotateDueAsync(CancellationToken.None));
        var next = await cache.GetX509SvidAsync(_entry, CancellationToken.None);
        Assert.Equal(start + TimeSpan.FromSeconds(40), next.NotAfter);
    }

    /// <summary>The leaf's serial number, read back the way a workload reads the Workload API's bytes.</summary>
    private static string Serial(CachedX509Svid svid) => X509Svid.ParseRaw(svid.Certificates.Span, svid.PrivateKey.Span).Leaf.SerialNumber;

    [Fact]
    public void NegativeLead_IsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new WorkloadSvidCache(_provider, new WorkloadSvidCacheOptions { RotationLead = TimeSpan.FromSeconds(-1) }, _clock));
        Assert.Equal("options.RotationLead", error.ParamName);
    }
}
