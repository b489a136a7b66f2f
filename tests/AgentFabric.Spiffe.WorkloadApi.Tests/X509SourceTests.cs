using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.WorkloadApi.Tests.Infrastructure;

namespace AgentFabric.Spiffe.WorkloadApi.Tests;

/// <summary>Catalogue group XS: the SVID source behind TLS (Workload API §4.3, §4.4, §5.1, §5.2.1).</summary>
public sealed class X509SourceTests : WorkloadApiTestBase
{
    [Fact]
    public async Task XS_1_PresentsSvidFromFetchX509Svid()
    {
        Api.SetX509(CaBundle, [Ca.Issue("spiffe://example.org/workload")]);
        await using var source = await StartSourceAsync();

        var probe = await TlsProbe.DialAsync(source, Ca.Issue("spiffe://example.org/probe"), CaBundle);

        Assert.Equal("spiffe://example.org/workload", probe.PresentedId.ToString());
        Assert.Equal("spiffe://example.org/probe", probe.AcceptedPeer.ToString());
    }

    [Fact]
    public async Task XS_2_PresentsFullChainWithIntermediates()
    {
        var intermediate = Ca.CreateIntermediate();
        var svid = intermediate.Issue("spiffe://example.org/workload");
        Api.SetX509(CaBundle, [svid]);
        await using var source = await StartSourceAsync();

        // The probe trusts the root only: the handshake succeeds only if the intermediate was sent.
        var probe = await TlsProbe.DialAsync(source, Ca.Issue("spiffe://example.org/probe"), CaBundle);

        Assert.Equal(2, source.GetX509Svid().Certificates.Count);
        Assert.Equal("spiffe://example.org/workload", probe.PresentedId.ToString());
    }

    [Fact]
    public async Task XS_3_UsesRotatedSvidForNewConnections()
    {
        var a = Ca.Issue("spiffe://example.org/workload");
        var b = Ca.Issue("spiffe://example.org/workload");
        var probeSvid = Ca.Issue("spiffe://example.org/probe");
        Api.SetX509(CaBundle, [a]);
        await using var source = await StartSourceAsync();
        var updates = 0;
        source.Updated += (_, _) => Interlocked.Increment(ref updates);

        var before = source.GetX509Svid().Leaf.Thumbprint;
        await PushAndWaitAsync(source, b);
        _ = await TlsProbe.DialAsync(source, probeSvid, CaBundle);

        Assert.Equal(a.Leaf.Thumbprint, before);
        Assert.Equal(b.Leaf.Thumbprint, source.GetX509Svid().Leaf.Thumbprint);
        Assert.Equal(1, updates);
    }

    [Fact]
    public async Task XS_4_TrustsEachCaOfMultiCaBundle()
    {
        var ca2 = TestAuthority.CreateRoot("example.org");
        var both = new X509Bundle(Ca.TrustDomain, [Ca.Certificate, ca2.Certificate]);
        Api.SetX509(both, [Ca.Issue("spiffe://example.org/workload")]);
        await using var source = await StartSourceAsync();

        var fromCa1 = await TlsProbe.DialAsync(source, Ca.Issue("spiffe://example.org/probe1"), CaBundle);
        var fromCa2 = await TlsProbe.DialAsync(source, ca2.Issue("spiffe://example.org/probe2"), CaBundle);

        Assert.Equal("spiffe://example.org/probe1", fromCa1.AcceptedPeer.ToString());
        Assert.Equal("spiffe://example.org/probe2", fromCa2.AcceptedPeer.ToString());
    }

    [Fact]
    public async Task XS_5_StopsTrustingCaRemovedFromBundle()
    {
        var ca2 = TestAuthority.CreateRoot("example.org");
        var svid = Ca.Issue("spiffe://example.org/workload");
        Api.SetX509(new X509Bundle(Ca.TrustDomain, [Ca.Certificate, ca2.Certificate]), [svid]);
        await using var source = await StartSourceAsync();
        var beforeRemoval = await TlsProbe.DialAsync(source, ca2.Issue("spiffe://example.org/probe2"), CaBundle);

        Api.SetX509(CaBundle, [svid]);
        await Eventually.TrueAsync(
            () => source.GetX509BundleForTrustDomain(Ca.TrustDomain).Authorities.Count == 1, "CA2 removed");
        var fromCa1 = await TlsProbe.DialAsync(source, Ca.Issue("spiffe://example.org/probe1"), CaBundle);
        var fromCa2 = await TlsProbe.DialAsync(source, ca2.Issue("spiffe://example.org/probe2"), CaBundle);

        Assert.Equal("spiffe://example.org/probe2", beforeRemoval.AcceptedPeer.ToString());
        Assert.Equal("spiffe://example.org/probe1", fromCa1.AcceptedPeer.ToString());
        Assert.Null(fromCa2.AcceptedPeer);
        Assert.NotNull(fromCa2.ServerError);
    }
}
