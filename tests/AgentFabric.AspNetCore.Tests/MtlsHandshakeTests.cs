using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Tls;
using AgentFabric.Testing;

namespace AgentFabric.AspNetCore.Tests;

/// <summary>Kestrel with <c>UseSpiffeMtls</c>: each rejected handshake with the exact reason the server logs (event
/// 1602), the accepted one with the caller the handler saw, and rotation of the server SVID without a restart.</summary>
public sealed class MtlsHandshakeTests : IAsyncLifetime
{
    private const int PeerRejected = 1602;
    private readonly DateTimeOffset _now = TestTime.WholeSecondNow();
    private TestPki _example = null!;
    private TestPki _other = null!;
    private X509BundleSet _bundles = null!;
    private SwappableSvidSource _serverSvid = null!;

    public Task InitializeAsync()
    {
        _example = new TestPki("example.org", _now);
        _other = new TestPki("other.org", _now);
        _bundles = new X509BundleSet(_example.Bundle, _other.Bundle);
        _serverSvid = new SwappableSvidSource(_example.Svid("/agents/writer", _now.AddMinutes(-1), _now.AddHours(1)));
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _example.Dispose();
        _other.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string, string> Rejections => new()
    {
        { "wrong trust domain", "spiffetls: peer \"spiffe://other.org/agents/researcher\" is not authorized: unexpected trust domain \"other.org\" (expected \"example.org\")" },
        { "wrong ID", "spiffetls: peer \"spiffe://example.org/agents/frontend\" is not authorized: unexpected ID \"spiffe://example.org/agents/frontend\" (expected \"spiffe://example.org/agents/researcher\")" },
        { "untrusted trust domain", "spiffetls: peer SVID rejected: x509svid: could not get X.509 bundle: x509bundle: no X.509 bundle for trust domain \"untrusted.org\"" },
        { "expired", "spiffetls: peer SVID rejected: x509svid: leaf certificate has expired" },
        { "not yet valid", "spiffetls: peer SVID rejected: x509svid: leaf certificate is not yet valid" },
        { "no client certificate", "spiffetls: peer presented no certificate" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task Handshake_IsRejected_WithTheReason(string name, string reason)
    {
        using var untrusted = new TestPki("untrusted.org", _now);
        var serverBundles = name == "untrusted trust domain" ? new X509BundleSet(_example.Bundle) : _bundles;
        var authorizer = name == "wrong ID" ? SpiffeAuthorizer.Id(SpiffeId.Parse("spiffe://example.org/agents/researcher")) : null;
        await using var server = await WorkloadUnderTest.StartAsync(_serverSvid, serverBundles, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(_now),
            app => WorkloadUnderTest.MapWhoAmI(app), mtls: o => o.Authorizer = authorizer);
        var client = name switch
        {
            "wrong trust domain" => _other.Svid("/agents/researcher", _now.AddMinutes(-1), _now.AddHours(1)),
            "wrong ID" => _example.Svid("/agents/frontend", _now.AddMinutes(-1), _now.AddHours(1)),
            "untrusted trust domain" => untrusted.Svid("/agents/researcher", _now.AddMinutes(-1), _now.AddHours(1)),
            "expired" => _example.Svid("/agents/researcher", _now.AddHours(-2), _now.AddHours(-1)),
            "not yet valid" => _example.Svid("/agents/researcher", _now.AddHours(1), _now.AddHours(2)),
            _ => null,
        };

        using var http = server.Client(client, _bundles);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetStringAsync("/whoami"));
        // The client may retry the connection; every attempt is refused for the same reason.
        var reasons = server.Logs.Messages(PeerRejected).Select(m => m[(m.IndexOf(" rejected: ", StringComparison.Ordinal) + 11)..]).Distinct();
        Assert.Equal([reason], reasons);
    }

    [Fact]
    public async Task Handshake_Accepts_APeerOfTheTrustDomain_AndTheHandlerSeesIt()
    {
        await using var server = await WorkloadUnderTest.StartAsync(_serverSvid, _bundles, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(_now), app => WorkloadUnderTest.MapWhoAmI(app));
        using var http = server.Client(_example.Svid("/agents/researcher", _now.AddMinutes(-1), _now.AddHours(1)), _bundles);

        var body = JsonDocument.Parse(await http.GetStringAsync("/whoami")).RootElement;

        Assert.Equal("spiffe://example.org/agents/researcher", body.GetProperty("caller").GetString());
        Assert.Equal("spiffe://example.org/agents/researcher", body.GetProperty("principal").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("user").ValueKind);
        Assert.Empty(server.Logs.Messages(PeerRejected));
    }

    [Fact]
    public async Task ServerSvid_Rotates_WithoutRestart()
    {
        await using var server = await WorkloadUnderTest.StartAsync(_serverSvid, _bundles, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(_now), app => WorkloadUnderTest.MapWhoAmI(app));
        var first = _serverSvid.GetX509Svid();
        var before = await ServerCertificateAsync(server);
        var rotated = _example.Svid("/agents/writer", _now.AddMinutes(-1), _now.AddHours(2));
        _serverSvid.Rotate(rotated);
        var after = await ServerCertificateAsync(server);

        Assert.Equal(first.Leaf.SerialNumber, before.SerialNumber);
        Assert.Equal(rotated.Leaf.SerialNumber, after.SerialNumber);
    }

    [Fact]
    public async Task Http2_IsNegotiated()
    {
        await using var server = await WorkloadUnderTest.StartAsync(_serverSvid, _bundles, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(_now), app => WorkloadUnderTest.MapWhoAmI(app));
        using var http = server.Client(_example.Svid("/agents/researcher", _now.AddMinutes(-1), _now.AddHours(1)), _bundles);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await http.SendAsync(request);

        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version20), (response.StatusCode, response.Version));
    }

    private async Task<X509Certificate2> ServerCertificateAsync(WorkloadUnderTest server)
    {
        var client = _example.Svid("/agents/researcher", _now.AddMinutes(-1), _now.AddHours(1));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.BaseAddress.Port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(SpiffeTls.CreateMtlsClientOptions(client, _bundles, SpiffeAuthorizer.Any(), new Microsoft.Extensions.Time.Testing.FakeTimeProvider(_now)));
        return new X509Certificate2(tls.RemoteCertificate!);
    }
}
