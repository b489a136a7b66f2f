using System.Net;
using System.Text.Json;
using AgentFabric.Server.Config;
using AgentFabric.Server.Federation;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.Tls;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Tests.Api;

public class AdminAndHealthTests
{
    [Fact]
    public async Task AdminErrors_CarryStatusAndExactText()
    {
        await using var server = await ServerFixture.StartAsync();
        var admin = server.Admin();
        var entry = new V1.Entry
        {
            SpiffeId = "spiffe://agentvault.com/service/teg-core",
            ParentId = "spiffe://agentvault.com/spire-agent",
            Selectors = { new V1.Selector { Type = "docker", Value = "label:com.agentvault.service:teg-core" } },
        };
        var created = await admin.CreateEntryAsync(new V1.CreateEntryRequest { Entry = entry });
        var dup = await Assert.ThrowsAsync<RpcException>(async () => await admin.CreateEntryAsync(new V1.CreateEntryRequest { Entry = entry }));
        Assert.Equal((StatusCode.AlreadyExists, $"registration: similar entry already exists (entry ID \"{created.Id}\" has the same SPIFFE ID, parent ID and selectors)"), (dup.StatusCode, dup.Status.Detail));
        var bad = await Assert.ThrowsAsync<RpcException>(async () => await admin.CreateEntryAsync(new V1.CreateEntryRequest { Entry = new V1.Entry(entry) { X509SvidTtl = -1 } }));
        Assert.Equal((StatusCode.InvalidArgument, "registration: X.509-SVID TTL must not be negative, got -1"), (bad.StatusCode, bad.Status.Detail));
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await admin.DeleteEntryAsync(new V1.EntryIdRequest { Id = "nope" }));
        Assert.Equal((StatusCode.NotFound, "registration: no registration entry with ID \"nope\""), (missing.StatusCode, missing.Status.Detail));
        var own = await Assert.ThrowsAsync<RpcException>(async () => await admin.SetFederatedBundleAsync(new V1.SetFederatedBundleRequest { TrustDomain = "spiffe://agentvault.com" }));
        Assert.Equal("bundle: \"agentvault.com\" is the server's own trust domain; its bundle cannot be set", own.Status.Detail);
        var evict = await Assert.ThrowsAsync<RpcException>(async () => await admin.EvictAgentAsync(new V1.AgentIdRequest { Id = "spiffe://agentvault.com/spire/agent/join_token/x" }));
        Assert.Equal((StatusCode.NotFound, "registration: no attested agent \"spiffe://agentvault.com/spire/agent/join_token/x\""), (evict.StatusCode, evict.Status.Detail));

        var listed = await admin.ListEntriesAsync(new V1.ListEntriesRequest { BySelectors = { new V1.Selector { Type = "docker", Value = "label:com.agentvault.service:teg-core" } } });
        Assert.Equal([created.Id], listed.Entries.Select(e => e.Id));
    }

    [Fact]
    public async Task AdminEntrySvid_MayCallTheAdminApiOverMutualTls_OthersMayNot()
    {
        await using var server = await ServerFixture.StartAsync();
        var admin = server.Admin();
        var (node, _) = await server.AttestAsync("spiffe://agentvault.com/spire-agent");
        var tool = await admin.CreateEntryAsync(new V1.CreateEntryRequest
        {
            Entry = new V1.Entry { SpiffeId = "spiffe://agentvault.com/admin-tool", ParentId = "spiffe://agentvault.com/spire-agent", Admin = true, Selectors = { new V1.Selector { Type = "unix", Value = "uid:0" } } },
        });
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var signed = await server.AgentClient(node).SignX509SvidsAsync(new V1.SignX509SvidsRequest { Requests = { new V1.SvidRequest { EntryId = tool.Id, Csr = Google.Protobuf.ByteString.CopyFrom(ServerFixture.Csr(key)) } } });
        var toolSvid = AgentFabric.Spiffe.Svid.X509.X509Svid.Create(signed.Results[0].Svid.CertChain.Select(c => System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(c.Span)), key);

        var agents = await server.AdminOverTls(toolSvid).ListAgentsAsync(new V1.Empty());
        Assert.Equal([node.Id.ToString()], agents.Agents.Select(a => a.Id));

        var denied = await Assert.ThrowsAsync<RpcException>(async () => await server.AdminOverTls(node).ListAgentsAsync(new V1.Empty()));
        Assert.Equal((StatusCode.PermissionDenied, $"admin: \"{node.Id}\" is not an admin (no admin entry, not in admin_ids)"), (denied.StatusCode, denied.Status.Detail));
    }

    [Fact]
    public async Task SocketIsGroupOnly_AndDirectoryIsOwnerOnly()
    {
        await using var server = await ServerFixture.StartAsync();
        var socketMode = File.GetUnixFileMode(server.Settings.SocketPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute, socketMode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(server.Settings.SocketPath)!));
    }

    [Fact]
    public async Task HealthAndMetrics()
    {
        await using var server = await ServerFixture.StartAsync();
        await server.AttestAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Settings.HealthBindPort}") };
        Assert.Equal("ok\n", await http.GetStringAsync("/live"));
        Assert.Equal("ready\n", await http.GetStringAsync("/ready"));
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("# TYPE agentfabric_server_svids_issued_total counter", metrics, StringComparison.Ordinal);
        Assert.Contains("agentfabric_server_svids_issued_total{type=\"node\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("agentfabric_server_node_attestations_total{result=\"success\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE agentfabric_server_api_latency_seconds histogram", metrics, StringComparison.Ordinal);
        Assert.Contains("agentfabric_server_api_latency_seconds_count{method=\"agent.AttestAgent\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("agentfabric_server_registration_entries 0", metrics, StringComparison.Ordinal);

        // The health port serves only health routes.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/agentfabric.server.v1.AdminService/ListAgents")).StatusCode);
    }

    [Fact]
    public async Task Federation_HttpsSpiffeEndpoint_ServesOurBundle_AndAPeerRefreshesIt()
    {
        var port = ServerFixture.FreePort();
        await using var partner = await ServerFixture.StartAsync(extraJson: $$""", "federation": { "bundle_endpoint": { "address": "127.0.0.1", "port": {{port}}, "refresh_hint": "7s" } }""", trustDomain: "partner.com");
        await using var us = await ServerFixture.StartAsync();
        var partnerTd = partner.TrustDomain;
        var federation = new FederatedTrustDomainSettings(
            TrustDomain.Parse("partner.com"),
            new Uri($"https://127.0.0.1:{port}/"),
            BundleEndpointProfile.HttpsSpiffe,
            SpiffeId.FromSegments(partnerTd, "spire", "server"));

        var refresher = us.Host.Runtime.Refresher;
        var noBootstrap = await Assert.ThrowsAsync<FederationException>(() => refresher.RefreshAsync(federation, CancellationToken.None));
        Assert.Equal("federation: no bundle for \"partner.com\" to authenticate its https_spiffe endpoint; set one first (bundle set)", noBootstrap.Message);

        await us.Host.Runtime.Bundles.SetFederatedAsync(new SpiffeBundle(partnerTd, partner.Host.Runtime.Ca.BundleAuthorities, []));
        var next = await refresher.RefreshAsync(federation, CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(7), next);
        var stored = Assert.Single(await us.Host.Runtime.Bundles.ListFederatedAsync("partner.com"));
        Assert.Equal(7, stored.RefreshHintSeconds);
        Assert.Equal(2, stored.SequenceNumber);

        // The bundle endpoint's document is a SPIFFE bundle the SDK reads: the partner's X.509 and JWT authorities,
        // its refresh hint and sequence number (Bundle §4).
        var x509 = new AgentFabric.Spiffe.Bundles.X509.X509Bundle(partnerTd, partner.Host.Runtime.Ca.BundleAuthorities);
        using var handler = new SocketsHttpHandler { SslOptions = SpiffeTls.CreateTlsClientOptions(x509, SpiffeAuthorizer.Id(federation.EndpointSpiffeId), TimeProvider.System) };
        using var http = new HttpClient(handler);
        using var response = await http.GetAsync(federation.BundleEndpointUrl);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var fetched = SpiffeBundle.Parse(partnerTd, await response.Content.ReadAsByteArrayAsync());
        var partnerOwn = await partner.Host.Runtime.Bundles.GetOwnAsync();
        Assert.Equal(partner.Host.Runtime.Ca.BundleAuthorities.Select(c => c.Thumbprint), fetched.X509Authorities.Select(c => c.Thumbprint));
        Assert.Equal(partner.Host.Runtime.Jwt.PublicAuthorities(), fetched.JwtAuthorities);
        Assert.Equal((TimeSpan.FromSeconds(7), (ulong)partnerOwn.SequenceNumber), (fetched.RefreshHint, fetched.SequenceNumber));

        // A JWT-SVID the partner mints verifies against the partner bundle we fetched and stored, and against the
        // document its bundle endpoint serves.
        var (token, _) = new AgentFabric.Server.Ca.JwtSvidMinter(partner.Host.Runtime.Jwt, null, TimeProvider.System)
            .Mint(SpiffeId.Parse("spiffe://partner.com/api"), ["us"], TimeSpan.FromMinutes(5));
        var storedBundle = StoredBundleFormat.ToSpiffeBundle(partnerTd, BundleService.ParsePem(stored.X509AuthoritiesPem), stored.JwtAuthoritiesJson, stored.RefreshHintSeconds, stored.SequenceNumber);
        Assert.Equal(SpiffeId.Parse("spiffe://partner.com/api"), JwtSvid.Parse(token, storedBundle, ["us"]).Id);
        Assert.Equal(["us"], JwtSvid.Parse(token, fetched, ["us"]).Audience);
        Assert.Equal("jwtsvid: could not get JWT bundle: jwtbundle: no JWT bundle for trust domain \"partner.com\"",
            Assert.Throws<JwtSvidException>(() => JwtSvid.Parse(token, StoredBundleFormat.ToSpiffeBundle(us.TrustDomain, [], "[]", 0, 0), ["us"])).Message);
    }

    [Fact]
    public void StoredBundleFormat_RoundTripsThroughTheSdk_AndRejectsMalformed()
    {
        var td = TrustDomain.Parse("partner.com");
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var req = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=ca", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var jwt = StoredBundleFormat.JwtAuthoritiesJson(td, [new JwtAuthority("k1", key)]);
        using (var jwks = JsonDocument.Parse(jwt))
        {
            var jwk = Assert.Single(jwks.RootElement.EnumerateArray());
            Assert.Equal(("jwt-svid", "k1"), (jwk.GetProperty("use").GetString(), jwk.GetProperty("kid").GetString()));
        }

        var bundle = StoredBundleFormat.ToSpiffeBundle(td, [cert], jwt, 300, 4);
        using var doc = JsonDocument.Parse(bundle.Marshal(indented: true));
        Assert.Equal("x509-svid", doc.RootElement.GetProperty("keys")[0].GetProperty("use").GetString());
        Assert.Equal((300, 4), (doc.RootElement.GetProperty("spiffe_refresh_hint").GetInt64(), doc.RootElement.GetProperty("spiffe_sequence").GetInt64()));
        var back = SpiffeBundle.Parse(td, bundle.Marshal());
        Assert.Equal(cert.Thumbprint, Assert.Single(back.X509Authorities).Thumbprint);
        Assert.Equal(new JwtAuthority("k1", key), Assert.Single(back.JwtAuthorities));
        Assert.Equal((TimeSpan.FromSeconds(300), (ulong?)4), (back.RefreshHint, back.SequenceNumber));

        // No refresh hint stored: the document has none (§4.1.2); the sequence number is always written.
        using var noHint = JsonDocument.Parse(StoredBundleFormat.ToSpiffeBundle(td, [cert], "", 0, 0).Marshal());
        Assert.False(noHint.RootElement.TryGetProperty("spiffe_refresh_hint", out _));
        Assert.Equal(0, noHint.RootElement.GetProperty("spiffe_sequence").GetInt64());

        Assert.Equal("federation: the stored JWT authorities of \"partner.com\" are unreadable: not a JSON array",
            Assert.Throws<FederationException>(() => StoredBundleFormat.ToSpiffeBundle(td, [], "{}", 0, 0)).Message);
        Assert.Equal("federation: the stored JWT authorities of \"partner.com\" are unreadable: spiffebundle: key 0 is a JWT-SVID key without a \"kid\"",
            Assert.Throws<FederationException>(() => StoredBundleFormat.ToSpiffeBundle(td, [], """[{"use":"jwt-svid","kty":"EC"}]""", 0, 0)).Message);
    }

    [Theory]
    [InlineData("{}", "spiffebundle: JWKS has no \"keys\" member")]
    [InlineData("""{"keys":[{"use":"x509-svid","x5c":[]}]}""", "spiffebundle: key 0 has no \"kty\" string")]
    [InlineData("""{"keys":[{"kty":"EC","use":"x509-svid","x5c":[]}]}""", "bundle: the bundle for \"partner.com\" holds no X.509 authority")]
    [InlineData("""{"keys":[],"spiffe_refresh_hint":"soon"}""", "spiffebundle: \"spiffe_refresh_hint\" is not a non-negative integer number of seconds")]
    [InlineData("""{"keys":[{"use":"jwt-svid","kty":"EC"}]}""", "spiffebundle: key 0 is a JWT-SVID key without a \"kid\"")]
    [InlineData("not json", "spiffebundle: JWKS is not valid JSON (line 1, byte 2)")]
    public async Task SetFederatedBundle_RejectsMalformedSpiffeBundles(string document, string expected)
    {
        await using var server = await ServerFixture.StartAsync();
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Admin().SetFederatedBundleAsync(
            new V1.SetFederatedBundleRequest { TrustDomain = "spiffe://partner.com", SpiffeBundleJson = document }));
        Assert.Equal((StatusCode.InvalidArgument, expected), (e.StatusCode, e.Status.Detail));
    }
}
