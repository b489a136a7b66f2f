using System.Security.Cryptography.X509Certificates;
using AgentFabric.Server.Federation;
using AgentFabric.Spiffe;
using Google.Protobuf;
using Grpc.Core;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Tests.Api;

/// <summary>The <c>federation</c> RPCs over the real Admin API: dynamic relationships round trip, a refresh fetches
/// a real bundle endpoint, the refresher follows relationships created at runtime, and bad input is refused.</summary>
public class FederationApiTests
{
    private static V1.FederationRelationship Spiffe(string td = "partner.com", string url = "https://partner.com:8443/", string endpoint = "spiffe://partner.com/spire/server") =>
        new() { TrustDomain = td, BundleEndpointUrl = url, BundleEndpointProfile = "https_spiffe", EndpointSpiffeId = endpoint };

    private static V1.FederationRelationship Web(string td, string url) =>
        new() { TrustDomain = td, BundleEndpointUrl = url, BundleEndpointProfile = "https_web" };

    [Fact]
    public async Task Relationships_CreateListShowUpdateDelete_RoundTrip()
    {
        await using var server = await ServerFixture.StartAsync();
        var admin = server.Admin();

        Assert.Equal(Spiffe(), await admin.CreateFederationRelationshipAsync(Spiffe()));
        Assert.Equal(Web("another.org", "https://another.org/bundle"), await admin.CreateFederationRelationshipAsync(Web("spiffe://another.org", "https://another.org/bundle")));
        var listed = await admin.ListFederationRelationshipsAsync(new V1.Empty());
        Assert.Equal([Web("another.org", "https://another.org/bundle"), Spiffe()], listed.FederationRelationships);
        Assert.Equal(Spiffe(), await admin.GetFederationRelationshipAsync(new V1.TrustDomainRequest { TrustDomain = "partner.com" }));

        var moved = Web("partner.com", "https://bundles.partner.com/");
        Assert.Equal(moved, await admin.UpdateFederationRelationshipAsync(moved));
        Assert.Equal(moved, await admin.GetFederationRelationshipAsync(new V1.TrustDomainRequest { TrustDomain = "spiffe://partner.com" }));

        await admin.DeleteFederationRelationshipAsync(new V1.TrustDomainRequest { TrustDomain = "partner.com" });
        var gone = await Assert.ThrowsAsync<RpcException>(async () => await admin.GetFederationRelationshipAsync(new V1.TrustDomainRequest { TrustDomain = "partner.com" }));
        Assert.Equal((StatusCode.NotFound, "federation: no federation relationship with trust domain \"partner.com\""), (gone.StatusCode, gone.Status.Detail));
        Assert.Equal(["another.org"], (await admin.ListFederationRelationshipsAsync(new V1.Empty())).FederationRelationships.Select(r => r.TrustDomain));

        // Stored, not remembered: a restarted server has them.
        await server.RestartAsync();
        Assert.Equal(["another.org"], (await server.Admin().ListFederationRelationshipsAsync(new V1.Empty())).FederationRelationships.Select(r => r.TrustDomain));
    }

    [Fact]
    public async Task CreateWithABundle_StoresTheBundleOfTheEndpointsTrustDomain()
    {
        await using var server = await ServerFixture.StartAsync();
        var admin = server.Admin();
        using var ca = SelfSignedCa("spiffe://hub.org");
        var request = Spiffe(endpoint: "spiffe://hub.org/bundle-server");
        request.TrustDomainBundle = new V1.SetFederatedBundleRequest { TrustDomain = "hub.org", X509Authorities = { ByteString.CopyFrom(ca.RawData) } };
        await admin.CreateFederationRelationshipAsync(request);
        var stored = Assert.Single((await admin.ListFederatedBundlesAsync(new V1.ListFederatedBundlesRequest())).Bundles);
        Assert.Equal("hub.org", stored.TrustDomain);
        Assert.Equal(ca.RawData, Assert.Single(stored.X509Authorities).ToByteArray());

        var wrong = Spiffe(td: "third.org", endpoint: "spiffe://third.org/s");
        wrong.TrustDomainBundle = new V1.SetFederatedBundleRequest { TrustDomain = "hub.org", X509Authorities = { ByteString.CopyFrom(ca.RawData) } };
        var e = await Assert.ThrowsAsync<RpcException>(async () => await admin.CreateFederationRelationshipAsync(wrong));
        Assert.Equal((StatusCode.InvalidArgument, "federation: the bundle is for \"hub.org\" but the relationship needs the bundle of \"third.org\""), (e.StatusCode, e.Status.Detail));
        Assert.Single((await admin.ListFederationRelationshipsAsync(new V1.Empty())).FederationRelationships);
    }

    [Fact]
    public async Task Refresh_FetchesThePartnersBundleEndpoint_AndStoresIt_AndTheRefresherFollowsNewRelationships()
    {
        var port = ServerFixture.FreePort();
        await using var partner = await ServerFixture.StartAsync(extraJson: $$""", "federation": { "bundle_endpoint": { "address": "127.0.0.1", "port": {{port}}, "refresh_hint": "7s" } }""", trustDomain: "partner.com");
        await using var us = await ServerFixture.StartAsync();
        var admin = us.Admin();
        var relationship = Spiffe(url: $"https://127.0.0.1:{port}/");

        // Without a bundle to authenticate the endpoint with, a refresh says what is missing.
        await admin.CreateFederationRelationshipAsync(relationship);
        var noBundle = await Assert.ThrowsAsync<RpcException>(async () => await admin.RefreshBundleAsync(new V1.TrustDomainRequest { TrustDomain = "partner.com" }));
        Assert.Equal((StatusCode.InvalidArgument, "federation: no bundle for \"partner.com\" to authenticate its https_spiffe endpoint; set one first (bundle set)"), (noBundle.StatusCode, noBundle.Status.Detail));
        await admin.DeleteFederationRelationshipAsync(new V1.TrustDomainRequest { TrustDomain = "partner.com" });

        // Created with the partner's X.509 authorities only; the running refresher fetches the full bundle (with the
        // partner's JWT authorities and refresh hint) without being asked.
        relationship.TrustDomainBundle = new V1.SetFederatedBundleRequest { TrustDomain = "partner.com" };
        relationship.TrustDomainBundle.X509Authorities.AddRange(partner.Host.Runtime.Ca.BundleAuthorities.Select(c => ByteString.CopyFrom(c.RawData)));
        await admin.CreateFederationRelationshipAsync(relationship);
        var partnerJwt = StoredBundleFormat.JwtAuthoritiesJson(partner.TrustDomain, partner.Host.Runtime.Jwt.PublicAuthorities());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        V1.Bundle? fetched = null;
        while (DateTime.UtcNow < deadline)
        {
            fetched = (await admin.ListFederatedBundlesAsync(new V1.ListFederatedBundlesRequest { TrustDomain = "partner.com" })).Bundles.SingleOrDefault();
            if (fetched?.RefreshHint == 7)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal((7L, partnerJwt), (fetched!.RefreshHint, fetched.JwtAuthoritiesJwks));

        // A refresh now fetches again: a new sequence number, the same content.
        var refreshed = await admin.RefreshBundleAsync(new V1.TrustDomainRequest { TrustDomain = "spiffe://partner.com" });
        Assert.True(refreshed.SequenceNumber > fetched.SequenceNumber);
        Assert.Equal((7L, partnerJwt), (refreshed.RefreshHint, refreshed.JwtAuthoritiesJwks));
        Assert.Equal(partner.Host.Runtime.Ca.BundleAuthorities.Select(c => c.RawData), refreshed.X509Authorities.Select(c => c.ToByteArray()));
    }

    public static TheoryData<V1.FederationRelationship, string> BadRelationships => new()
    {
        { Spiffe(td: ""), "federation: a trust domain is required" },
        { Spiffe(td: "Partner.com"), "federation: \"Partner.com\" is not a trust domain: spiffeid: trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores" },
        { Spiffe(td: "agentvault.com"), "federation: \"agentvault.com\" is the server's own trust domain; it cannot federate with itself" },
        { Spiffe(url: ""), "federation: a bundle endpoint URL is required" },
        { Spiffe(url: "http://partner.com/"), "federation: bundle endpoint URL \"http://partner.com/\" must be an absolute https URL" },
        { Spiffe(url: "partner.com:8443"), "federation: bundle endpoint URL \"partner.com:8443\" must be an absolute https URL" },
        { Spiffe(endpoint: ""), "federation: an endpoint SPIFFE ID is required for the https_spiffe profile" },
        { Spiffe(endpoint: "partner.com/spire/server"), "federation: endpoint SPIFFE ID \"partner.com/spire/server\" is not a SPIFFE ID: spiffeid: scheme is missing or invalid (expected \"spiffe://\")" },
        { new V1.FederationRelationship(Spiffe()) { BundleEndpointProfile = "" }, "federation: a bundle endpoint profile is required (https_web or https_spiffe)" },
        { new V1.FederationRelationship(Spiffe()) { BundleEndpointProfile = "https_mtls" }, "federation: bundle endpoint profile \"https_mtls\" is not one of https_web, https_spiffe" },
        { new V1.FederationRelationship(Spiffe()) { BundleEndpointProfile = "https_web" }, "federation: an endpoint SPIFFE ID is only used with the https_spiffe profile" },
    };

    [Theory, MemberData(nameof(BadRelationships))]
    public async Task BadRelationships_AreRefused_AndNothingIsStored(V1.FederationRelationship relationship, string message)
    {
        await using var server = await ServerFixture.StartAsync();
        var admin = server.Admin();
        var create = await Assert.ThrowsAsync<RpcException>(async () => await admin.CreateFederationRelationshipAsync(relationship));
        Assert.Equal((StatusCode.InvalidArgument, message), (create.StatusCode, create.Status.Detail));
        var update = await Assert.ThrowsAsync<RpcException>(async () => await admin.UpdateFederationRelationshipAsync(relationship));
        Assert.Equal((StatusCode.InvalidArgument, message), (update.StatusCode, update.Status.Detail));
        Assert.Empty((await admin.ListFederationRelationshipsAsync(new V1.Empty())).FederationRelationships);
    }

    [Fact]
    public async Task Duplicates_UnknownTrustDomains_AndConfigDeclaredOnes_AreRefused()
    {
        var declared = """, "federation": { "federates_with": { "declared.org": { "bundle_endpoint_url": "https://declared.org/", "bundle_endpoint_profile": "https_web" } } }""";
        await using var server = await ServerFixture.StartAsync(extraJson: declared);
        var admin = server.Admin();
        await admin.CreateFederationRelationshipAsync(Spiffe());

        async Task<(StatusCode, string)> Refused(Func<Task> call)
        {
            var e = await Assert.ThrowsAsync<RpcException>(call);
            return (e.StatusCode, e.Status.Detail);
        }

        Assert.Equal((StatusCode.AlreadyExists, "federation: a federation relationship with \"partner.com\" already exists"),
            await Refused(async () => await admin.CreateFederationRelationshipAsync(Spiffe(url: "https://other/"))));
        Assert.Equal(Spiffe(), await admin.GetFederationRelationshipAsync(new V1.TrustDomainRequest { TrustDomain = "partner.com" }));

        var unknown = (StatusCode.NotFound, "federation: no federation relationship with trust domain \"unknown.org\"");
        Assert.Equal(unknown, await Refused(async () => await admin.UpdateFederationRelationshipAsync(Web("unknown.org", "https://unknown.org/"))));
        Assert.Equal(unknown, await Refused(async () => await admin.GetFederationRelationshipAsync(new V1.TrustDomainRequest { TrustDomain = "unknown.org" })));
        Assert.Equal(unknown, await Refused(async () => await admin.DeleteFederationRelationshipAsync(new V1.TrustDomainRequest { TrustDomain = "unknown.org" })));
        Assert.Equal(unknown, await Refused(async () => await admin.RefreshBundleAsync(new V1.TrustDomainRequest { TrustDomain = "spiffe://unknown.org" })));

        // The config's relationship is shown, not listed, and changed only in the config.
        Assert.Equal(Web("declared.org", "https://declared.org/"), await admin.GetFederationRelationshipAsync(new V1.TrustDomainRequest { TrustDomain = "declared.org" }));
        Assert.Equal(["partner.com"], (await admin.ListFederationRelationshipsAsync(new V1.Empty())).FederationRelationships.Select(r => r.TrustDomain));
        Assert.Equal((StatusCode.AlreadyExists, "federation: a federation relationship with \"declared.org\" already exists"),
            await Refused(async () => await admin.CreateFederationRelationshipAsync(Web("declared.org", "https://x/"))));
        var configOnly = (StatusCode.FailedPrecondition, "federation: the relationship with \"declared.org\" is declared in the server config (federation.federates_with); change it there");
        Assert.Equal(configOnly, await Refused(async () => await admin.UpdateFederationRelationshipAsync(Web("declared.org", "https://x/"))));
        Assert.Equal(configOnly, await Refused(async () => await admin.DeleteFederationRelationshipAsync(new V1.TrustDomainRequest { TrustDomain = "declared.org" })));
    }

    private static X509Certificate2 SelfSignedCa(string spiffeId)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ca", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(spiffeId));
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
