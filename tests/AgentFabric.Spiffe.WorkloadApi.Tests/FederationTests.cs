using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.WorkloadApi.Tests.Infrastructure;

namespace AgentFabric.Spiffe.WorkloadApi.Tests;

/// <summary>Catalogue group XF: federated bundles (Workload API §4.4, §4.6).</summary>
public sealed class FederationTests : WorkloadApiTestBase
{
    private readonly TestAuthority _fed = TestAuthority.CreateRoot("fed.example.org");

    private X509Bundle FedBundle => new(_fed.TrustDomain, [_fed.Certificate]);

    [Fact]
    public async Task XF_1_AcceptsPeerFromFederatedTrustDomain()
    {
        Api.SetX509(CaBundle, [Ca.Issue("spiffe://example.org/workload")], FedBundle);
        await using var source = await StartSourceAsync();

        var probe = await TlsProbe.DialAsync(source, _fed.Issue("spiffe://fed.example.org/peer"), CaBundle);

        Assert.Equal("spiffe://fed.example.org/peer", probe.AcceptedPeer.ToString());
    }

    [Fact]
    public async Task XF_2_DoesNotMergeBundlesAcrossTrustDomains()
    {
        Api.SetX509(CaBundle, [Ca.Issue("spiffe://example.org/workload")], FedBundle);
        await using var source = await StartSourceAsync();

        var control = await TlsProbe.DialAsync(source, Ca.Issue("spiffe://example.org/peer"), CaBundle);
        // Claims fed.example.org but chains only to example.org's CA.
        var impostor = await TlsProbe.DialAsync(source, Ca.Issue("spiffe://fed.example.org/peer"), CaBundle);

        Assert.Equal("spiffe://example.org/peer", control.AcceptedPeer.ToString());
        Assert.Null(impostor.AcceptedPeer);
        Assert.NotNull(impostor.ServerError);
    }

    [Fact]
    public async Task XF_3_StopsTrustingFederatedTrustDomainWhenOmitted()
    {
        var svid = Ca.Issue("spiffe://example.org/workload");
        Api.SetX509(CaBundle, [svid], FedBundle);
        await using var source = await StartSourceAsync();
        var before = await TlsProbe.DialAsync(source, _fed.Issue("spiffe://fed.example.org/peer"), CaBundle);

        var barrier = Ca.Issue("spiffe://example.org/workload");
        Api.SetX509(CaBundle, [barrier]);
        await Eventually.TrueAsync(() => source.GetX509Svid().Leaf.Thumbprint == barrier.Leaf.Thumbprint, "barrier");
        var after = await TlsProbe.DialAsync(source, _fed.Issue("spiffe://fed.example.org/peer"), CaBundle);

        Assert.Equal("spiffe://fed.example.org/peer", before.AcceptedPeer.ToString());
        Assert.Null(after.AcceptedPeer);
        var error = Assert.Throws<X509BundleException>(() => source.GetX509BundleForTrustDomain(_fed.TrustDomain));
        Assert.Equal("x509bundle: no X.509 bundle for trust domain \"fed.example.org\"", error.Message);
    }
}
