using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Server.Federation;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Testing;
using Google.Protobuf;
using Grpc.Core;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Tests.Api;

/// <summary><c>x509 mint</c> and <c>jwt mint</c> over the real Admin API: what is minted verifies with the SDK against
/// the server's bundle, the TTL is the one asked for (or the default), and bad requests are refused exactly.</summary>
public class AdminMintTests
{
    [Theory]
    [InlineData(0, 3600, new string[0])]
    [InlineData(120, 120, new[] { "api.agentvault.com" })]
    [InlineData(7200, 7200, new[] { "a.example", "*.b.example" })]
    public async Task MintX509_VerifiesAgainstTheBundle_WithTheTtlAskedFor(int ttl, int expectedSeconds, string[] dns)
    {
        var time = new FakeTimeWithSystemTimers();
        await using var server = await ServerFixture.StartAsync(time);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new V1.AdminMintX509SvidRequest { Csr = ByteString.CopyFrom(ServerFixture.Csr(key)), SpiffeId = "spiffe://agentvault.com/tool", Ttl = ttl };
        request.DnsNames.AddRange(dns);

        var svid = await server.Admin().MintX509SvidAsync(request);

        var chain = svid.CertChain.Select(c => X509CertificateLoader.LoadCertificate(c.Span)).ToArray();
        var bundle = await BundleAsync(server);
        var verified = X509SvidVerifier.Verify(chain, bundle, time);
        Assert.Equal(("spiffe://agentvault.com/tool", "spiffe://agentvault.com/tool"), (verified.Id.ToString(), svid.SpiffeId));
        Assert.Equal(time.GetUtcNow().ToUnixTimeSeconds() + expectedSeconds, svid.ExpiresAt);
        Assert.Equal(svid.ExpiresAt, new DateTimeOffset(chain[0].NotAfter).ToUnixTimeSeconds());
        Assert.Equal(dns, chain[0].Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());

        // The SVID is over the CSR's key: the caller's private key completes it.
        using var leafKey = chain[0].GetECDsaPublicKey()!;
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), leafKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task MintX509_TtlBeyondTheCa_IsCappedAtTheCaExpiry()
    {
        var time = new FakeTimeWithSystemTimers();
        await using var server = await ServerFixture.StartAsync(time);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var svid = await server.Admin().MintX509SvidAsync(new V1.AdminMintX509SvidRequest
        {
            Csr = ByteString.CopyFrom(ServerFixture.Csr(key)), SpiffeId = "spiffe://agentvault.com/tool", Ttl = 10 * 24 * 3600,
        });
        Assert.Equal(server.Host.Runtime.Ca.Active.NotAfter.ToUnixTimeSeconds(), svid.ExpiresAt);
    }

    [Theory]
    [InlineData(0, 300, new[] { "spire-server" })]
    [InlineData(60, 60, new[] { "a", "b" })]
    public async Task MintJwt_ParsesWithTheBundle_WithTheTtlAskedFor(int ttl, int expectedSeconds, string[] audience)
    {
        var time = new FakeTimeWithSystemTimers();
        await using var server = await ServerFixture.StartAsync(time);
        var request = new V1.AdminMintJwtSvidRequest { SpiffeId = "spiffe://agentvault.com/tool", Ttl = ttl };
        request.Audience.AddRange(audience);

        var minted = await server.Admin().MintJwtSvidAsync(request);

        var parsed = JwtSvid.Parse(minted.Token, await BundleAsync(server), [audience[0]], new JwtSvidValidationOptions { TimeProvider = time });
        Assert.Equal(("spiffe://agentvault.com/tool", "spiffe://agentvault.com/tool"), (parsed.Id.ToString(), minted.SpiffeId));
        Assert.Equal(audience, parsed.Audience);
        Assert.Equal(time.GetUtcNow().ToUnixTimeSeconds() + expectedSeconds, minted.ExpiresAt);
        Assert.Equal(minted.ExpiresAt, parsed.Expiry.ToUnixTimeSeconds());
    }

    public static TheoryData<string, string, string[], int, StatusCode, string> BadMints => new()
    {
        { "x509", "", [], 0, StatusCode.InvalidArgument, "ca: a SPIFFE ID is required" },
        { "x509", "agentvault.com/tool", [], 0, StatusCode.InvalidArgument, "ca: \"agentvault.com/tool\" is not a SPIFFE ID: spiffeid: scheme is missing or invalid (expected \"spiffe://\")" },
        { "x509", "spiffe://partner.com/tool", [], 0, StatusCode.InvalidArgument, "ca: SPIFFE ID \"spiffe://partner.com/tool\" is not a member of trust domain \"agentvault.com\"" },
        { "x509", "spiffe://agentvault.com", [], 0, StatusCode.InvalidArgument, "ca: SPIFFE ID \"spiffe://agentvault.com\" names the trust domain, not a workload; add a path" },
        { "x509", "spiffe://agentvault.com/tool", [], -1, StatusCode.InvalidArgument, "ca: TTL must not be negative, got -1 s" },
        { "x509", "spiffe://agentvault.com/tool", ["bad_name!"], 0, StatusCode.InvalidArgument, "ca: DNS name \"bad_name!\" is not valid" },
        { "jwt", "spiffe://agentvault.com/tool", [], 0, StatusCode.InvalidArgument, "ca: a JWT-SVID needs at least one non-empty audience" },
        { "jwt", "spiffe://agentvault.com/tool", [""], 0, StatusCode.InvalidArgument, "ca: a JWT-SVID needs at least one non-empty audience" },
        { "jwt", "spiffe://partner.com/tool", ["a"], 0, StatusCode.InvalidArgument, "ca: SPIFFE ID \"spiffe://partner.com/tool\" is not a member of trust domain \"agentvault.com\"" },
        { "jwt", "spiffe://agentvault.com/tool", ["a"], -30, StatusCode.InvalidArgument, "ca: TTL must not be negative, got -30 s" },
    };

    [Theory, MemberData(nameof(BadMints))]
    public async Task BadMintRequests_AreRefused_WithExactMessages(string kind, string spiffeId, string[] extra, int ttl, StatusCode code, string message)
    {
        await using var server = await ServerFixture.StartAsync();
        var admin = server.Admin();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            if (kind == "x509")
            {
                var request = new V1.AdminMintX509SvidRequest { Csr = ByteString.CopyFrom(ServerFixture.Csr(key)), SpiffeId = spiffeId, Ttl = ttl };
                request.DnsNames.AddRange(extra);
                await admin.MintX509SvidAsync(request);
            }
            else
            {
                var request = new V1.AdminMintJwtSvidRequest { SpiffeId = spiffeId, Ttl = ttl };
                request.Audience.AddRange(extra);
                await admin.MintJwtSvidAsync(request);
            }
        });
        Assert.Equal((code, message), (e.StatusCode, e.Status.Detail));
    }

    [Fact]
    public async Task MintX509_WithACsrThatDoesNotVerify_IsRefused()
    {
        await using var server = await ServerFixture.StartAsync();
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.Admin().MintX509SvidAsync(
            new V1.AdminMintX509SvidRequest { Csr = ByteString.CopyFromUtf8("not a CSR"), SpiffeId = "spiffe://agentvault.com/tool" }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("ca: CSR is malformed or its signature does not verify: ", e.Status.Detail, StringComparison.Ordinal);
    }

    private static async Task<SpiffeBundle> BundleAsync(ServerFixture server)
    {
        var own = await server.Admin().GetBundleAsync(new V1.Empty());
        return StoredBundleFormat.ToSpiffeBundle(
            server.TrustDomain, own.X509Authorities.Select(c => X509CertificateLoader.LoadCertificate(c.Span)), own.JwtAuthoritiesJwks, own.RefreshHint, own.SequenceNumber);
    }
}
