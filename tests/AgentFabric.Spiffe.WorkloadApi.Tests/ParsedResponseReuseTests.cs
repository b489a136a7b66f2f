using AgentFabric.Spiffe.WorkloadApi.Tests.Infrastructure;
using Google.Protobuf;

namespace AgentFabric.Spiffe.WorkloadApi.Tests;

/// <summary>The client parses each distinct SVID and bundle once: byte-identical responses share the parsed SVID,
/// anything that differs by a byte is parsed anew, and shared state never leaks between results.</summary>
public sealed class ParsedResponseReuseTests : WorkloadApiTestBase
{
    [Fact]
    public async Task SameBytesTwice_SameSvidInstance_FreshBundleObjects()
    {
        Api.SetX509(CaBundle, [Ca.Issue("spiffe://example.org/a")]);
        using var client = new WorkloadApiClient(FastOptions());

        var first = await client.FetchX509ContextAsync();
        var second = await client.FetchX509ContextAsync();

        Assert.Same(first.DefaultSvid, second.DefaultSvid);
        Assert.NotSame(first.Bundles, second.Bundles);
        var firstBundle = first.Bundles.GetX509BundleForTrustDomain(Ca.TrustDomain);
        var secondBundle = second.Bundles.GetX509BundleForTrustDomain(Ca.TrustDomain);
        Assert.NotSame(firstBundle, secondBundle);
        Assert.Same(firstBundle.Authorities[0], secondBundle.Authorities[0]);

        // A caller editing its result does not change the next one.
        first.Bundles.Remove(Ca.TrustDomain);
        var third = await client.FetchX509ContextAsync();
        Assert.Equal(Ca.Certificate.RawData, third.Bundles.GetX509BundleForTrustDomain(Ca.TrustDomain).Authorities[0].RawData);
    }

    [Fact]
    public async Task RotatedSvid_ParsedAnew()
    {
        var a1 = Ca.Issue("spiffe://example.org/a");
        var a2 = Ca.Issue("spiffe://example.org/a");
        using var client = new WorkloadApiClient(FastOptions());
        Api.SetX509(CaBundle, [a1]);
        var first = await client.FetchX509ContextAsync();

        Api.SetX509(CaBundle, [a2]);
        var second = await client.FetchX509ContextAsync();

        Assert.NotSame(first.DefaultSvid, second.DefaultSvid);
        Assert.Equal(a1.Leaf.SerialNumber, first.DefaultSvid.Leaf.SerialNumber);
        Assert.Equal(a2.Leaf.SerialNumber, second.DefaultSvid.Leaf.SerialNumber);
    }

    [Fact]
    public async Task SameSvidOtherHint_HintFromTheResponse()
    {
        var a = Ca.Issue("spiffe://example.org/a");
        using var client = new WorkloadApiClient(FastOptions());
        Api.SetX509(CaBundle, [a.WithHint("internal")]);
        var first = await client.FetchX509ContextAsync();

        Api.SetX509(CaBundle, [a.WithHint("external")]);
        var second = await client.FetchX509ContextAsync();

        Assert.Equal("internal", first.DefaultSvid.Hint);
        Assert.Equal("external", second.DefaultSvid.Hint);
        Assert.Same(first.DefaultSvid.Leaf, second.DefaultSvid.Leaf);
    }

    [Fact]
    public async Task InvalidResponse_RejectedEveryTime()
    {
        var broken = FakeWorkloadApi.X509Response(CaBundle, [Ca.Issue("spiffe://example.org/a")]);
        broken.Svids[0].X509SvidKey = ByteString.CopyFrom([0x30, 0x03, 0x02, 0x01, 0x00]);
        Api.SetX509(broken);
        using var client = new WorkloadApiClient(FastOptions());

        var first = await Assert.ThrowsAsync<WorkloadApiException>(() => client.FetchX509ContextAsync());
        var second = await Assert.ThrowsAsync<WorkloadApiException>(() => client.FetchX509ContextAsync());

        Assert.StartsWith("workloadapi: X.509-SVID 0 is invalid: x509svid: cannot parse private key", first.Message, StringComparison.Ordinal);
        Assert.Equal(first.Message, second.Message);
    }

    [Fact]
    public async Task ReuseOff_EveryResponseParsed()
    {
        Api.SetX509(CaBundle, [Ca.Issue("spiffe://example.org/a")]);
        using var client = new WorkloadApiClient(FastOptions() with { ReuseParsedResponses = false });

        var first = await client.FetchX509ContextAsync();
        var second = await client.FetchX509ContextAsync();

        Assert.NotSame(first.DefaultSvid, second.DefaultSvid);
        Assert.Equal(first.DefaultSvid.Leaf.RawData, second.DefaultSvid.Leaf.RawData);
    }

    [Fact]
    public async Task BundlesFetch_SameBytes_SharedCertificatesFreshSets()
    {
        Api.SetX509Bundles(CaBundle);
        using var client = new WorkloadApiClient(FastOptions());

        var first = await client.FetchX509BundlesAsync();
        var second = await client.FetchX509BundlesAsync();

        Assert.NotSame(first, second);
        Assert.Same(
            first.GetX509BundleForTrustDomain(Ca.TrustDomain).Authorities[0],
            second.GetX509BundleForTrustDomain(Ca.TrustDomain).Authorities[0]);
    }

    [Fact]
    public void Cache_HoldsAtMostCapacity_LeastRecentlyUsedOut()
    {
        var cache = new ParsedCache();
        var svids = Enumerable.Range(0, ParsedCache.Capacity + 1)
            .Select(i => Ca.Issue("spiffe://example.org/w" + i).MarshalRaw())
            .Select(m => (Chain: ByteString.CopyFrom(m.Certificates), Key: ByteString.CopyFrom(m.PrivateKey)))
            .ToArray();
        var parsed = svids.Select(s => cache.TryGetSvid(s.Chain, s.Key, out var svid, out _) ? svid : null).ToArray();

        // The first went out when the ninth came in; the last is still there.
        Assert.True(cache.TryGetSvid(svids[0].Chain, svids[0].Key, out var again, out _));
        Assert.NotSame(parsed[0], again);
        Assert.True(cache.TryGetSvid(svids[^1].Chain, svids[^1].Key, out var last, out _));
        Assert.Same(parsed[^1], last);
    }
}
