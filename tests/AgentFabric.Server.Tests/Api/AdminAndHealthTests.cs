using System.Net;
using System.Text.Json;
using AgentFabric.Server.Config;
using AgentFabric.Server.Federation;
using AgentFabric.Spiffe;
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

        var refresher = new BundleRefresher(us.Host.Runtime.Bundles, [federation], TimeProvider.System, NullLogger.Instance);
        var noBootstrap = await Assert.ThrowsAsync<FederationException>(() => refresher.RefreshAsync(federation, CancellationToken.None));
        Assert.Equal("federation: no bundle for \"partner.com\" to authenticate its https_spiffe endpoint; set one first (bundle set)", noBootstrap.Message);

        await us.Host.Runtime.Bundles.SetFederatedAsync("partner.com", partner.Host.Runtime.Ca.BundleAuthorities, "[]", 0);
        var next = await refresher.RefreshAsync(federation, CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(7), next);
        var stored = Assert.Single(await us.Host.Runtime.Bundles.ListFederatedAsync("partner.com"));
        Assert.Equal(7, stored.RefreshHintSeconds);
        Assert.Equal(2, stored.SequenceNumber);
    }

    [Fact]
    public void SpiffeBundleJson_RoundTrips_AndRejectsMalformed()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var req = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=ca", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var json = SpiffeBundleJson.Instance.Marshal(new SpiffeBundleDocument([cert], """[{"kty":"EC","kid":"k1","use":"jwt-svid"}]""", 300, 4));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("x509-svid", doc.RootElement.GetProperty("keys")[0].GetProperty("use").GetString());
        Assert.Equal(300, doc.RootElement.GetProperty("spiffe_refresh_hint").GetInt64());
        var back = SpiffeBundleJson.Instance.Parse(json);
        Assert.Equal(cert.Thumbprint, Assert.Single(back.X509Authorities).Thumbprint);
        Assert.Equal((300L, 4L), (back.RefreshHintSeconds, back.SequenceNumber));
        Assert.Contains("\"kid\":\"k1\"", back.JwtKeysJson, StringComparison.Ordinal);

        Assert.Equal("federation: SPIFFE bundle has no \"keys\" array", Assert.Throws<FederationException>(() => SpiffeBundleJson.Instance.Parse("{}")).Message);
        Assert.Equal("federation: SPIFFE bundle key 0 (x509-svid) must hold exactly one x5c certificate",
            Assert.Throws<FederationException>(() => SpiffeBundleJson.Instance.Parse("""{"keys":[{"use":"x509-svid","x5c":[]}]}""")).Message);
        Assert.Equal("federation: SPIFFE bundle member \"spiffe_refresh_hint\" must be a non-negative integer",
            Assert.Throws<FederationException>(() => SpiffeBundleJson.Instance.Parse("""{"keys":[],"spiffe_refresh_hint":"soon"}""")).Message);
        Assert.Equal("federation: SPIFFE bundle key 0 (jwt-svid) has no kid",
            Assert.Throws<FederationException>(() => SpiffeBundleJson.Instance.Parse("""{"keys":[{"use":"jwt-svid"}]}""")).Message);
    }
}
