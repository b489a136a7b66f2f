using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.PolicyServer.Hosting;
using AgentFabric.Testing;
using Microsoft.AspNetCore.Builder;

namespace AgentFabric.PolicyServer.Tests;

/// <summary><c>--authentication=tls</c>: the client's X.509-SVID, validated against the trust bundle file, names a
/// SPIFFE ID; listed IDs read, admin IDs write, anything else is OPA's 401.</summary>
public sealed class SpiffeMutualTlsTests : IAsyncLifetime
{
    private const string Reader = "spiffe://example.org/ns/apps/sa/reader";
    private const string Admin = "spiffe://example.org/ns/ops/sa/admin";
    private const string Stranger = "spiffe://example.org/ns/apps/sa/stranger";
    private readonly string _temp = TestBundles.TempDirectory();
    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2 _otherCa;
    private WebApplication _app = null!;
    private Uri _address = null!;

    public SpiffeMutualTlsTests()
    {
        _ca = Authority("CN=example.org CA");
        _otherCa = Authority("CN=other CA");
    }

    public async Task InitializeAsync()
    {
        var server = Issue(_ca, "CN=policy-server", null, server: true);
        File.WriteAllText(Path.Combine(_temp, "server.pem"), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_temp, "server.key"), server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(_temp, "bundle.pem"), _ca.ExportCertificatePem());
        var port = LoopbackPorts.Next();
        _app = PolicyServerHost.Create(new PolicyServerOptions
        {
            Address = $"127.0.0.1:{port}",
            Authentication = PolicyServerAuthentication.Tls,
            TlsCertFile = Path.Combine(_temp, "server.pem"),
            TlsPrivateKeyFile = Path.Combine(_temp, "server.key"),
            TrustBundleFile = Path.Combine(_temp, "bundle.pem"),
            TrustDomain = "example.org",
            AllowedSpiffeIds = [Reader],
            AdminSpiffeIds = [Admin],
        }, logging: _ => { });
        await _app.StartAsync();
        _address = new Uri($"https://127.0.0.1:{port}/");
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_temp, recursive: true);
    }

    [Theory]
    [InlineData(Reader, false, "GET", 200)]
    [InlineData(Reader, false, "PUT", 401)]
    [InlineData(Admin, false, "PUT", 204)]
    [InlineData(Admin, false, "GET", 200)]
    [InlineData(Stranger, false, "GET", 401)]
    [InlineData(Admin, true, "GET", 401)]
    [InlineData(null, false, "GET", 401)]
    public async Task ClientSvids(string? id, bool untrustedIssuer, string method, int status)
    {
        using var handler = new HttpClientHandler
        {
            // The test trusts its own CA for the server's certificate.
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && cert.Issuer == _ca.Subject,
        };
        if (id is not null)
        {
            handler.ClientCertificates.Add(Issue(untrustedIssuer ? _otherCa : _ca, "CN=workload", id, server: false));
        }

        using var client = new HttpClient(handler) { BaseAddress = _address };
        using var request = new HttpRequestMessage(new HttpMethod(method), "v1/data/x");
        if (method == "PUT")
        {
            request.Content = new StringContent("1", new MediaTypeHeaderValue("application/json"));
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        if (status == 401)
        {
            Assert.Equal("""{"code":"unauthorized","message":"request rejected by administrative policy"}""", await response.Content.ReadAsStringAsync());
        }
    }

    private static X509Certificate2 Authority(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddHours(-1), now.AddHours(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, string? spiffeId, bool server)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        // X509-SVID §4.4: an SVID carries both serverAuth and clientAuth.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(server ? [new Oid("1.3.6.1.5.5.7.3.1")] : [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        if (spiffeId is not null)
        {
            san.AddUri(new Uri(spiffeId));
        }
        else
        {
            san.AddIpAddress(System.Net.IPAddress.Loopback);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var now = DateTimeOffset.UtcNow;
        using var signed = request.Create(ca, now.AddMinutes(-30), now.AddMinutes(30), RandomNumberGenerator.GetBytes(8));
        return signed.CopyWithPrivateKey(key);
    }
}
