using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFabric.Edge.Exchange;
using static AgentFabric.Edge.Tests.Exchange.ExchangeEdge;

namespace AgentFabric.Edge.Tests.Exchange;

/// <summary>RFC 8705 over real TLS on 127.0.0.1: agents authenticate with their X.509-SVID as a client certificate,
/// issued tokens are bound to it (<c>cnf.x5t#S256</c>), and a bound subject token only works with its certificate.</summary>
public sealed class MtlsExchangeTests : IAsyncLifetime
{
    private readonly ExchangeEdge _edge = new();

    public Task InitializeAsync() => _edge.InitializeAsync();

    public Task DisposeAsync() => _edge.DisposeAsync();

    [Fact]
    public async Task AnExchangeOverMtls_IsBoundToTheClientCertificate()
    {
        using var leaf = _edge.X509Authority.Issue(Frontend);
        var (status, body, response) = await _edge.ExchangeOverMtlsAsync(MtlsForm(Frontend, _edge.AccessToken(_edge.UserClaims(Frontend)), Researcher), leaf);
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            var claims = Payload(body.GetProperty("access_token").GetString()!);
            Assert.Equal(Frontend, claims["client_id"]!.GetValue<string>());
            Assert.Equal(CertificateThumbprint.Compute(leaf), claims["cnf"]!["x5t#S256"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task AnExchangeWithAJwtSvidOverPlainHttp_IsNotBound()
    {
        var (status, body, response) = await _edge.ExchangeAsync(_edge.Form(Frontend, _edge.AccessToken(_edge.UserClaims(Frontend)), Researcher));
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.False(Payload(body.GetProperty("access_token").GetString()!).ContainsKey("cnf"));
        }
    }

    [Fact]
    public async Task Discovery_PublishesTheMtlsTokenEndpointAlias()
    {
        using var discovery = JsonDocument.Parse(await _edge.Http.GetStringAsync(new Uri(_edge.Issuer, ".well-known/openid-configuration")));
        var root = discovery.RootElement;
        Assert.Equal(_edge.MtlsTokenEndpoint.AbsoluteUri, root.GetProperty("mtls_endpoint_aliases").GetProperty("token_endpoint").GetString());
        Assert.True(root.GetProperty("tls_client_certificate_bound_access_tokens").GetBoolean());
    }

    public static TheoryData<string, int, string> Cases => new()
    {
        { "control: bound subject token with its own certificate", 200, "" },
        { "control: certificate and a JWT-SVID assertion of the same agent", 200, "" },
        { "bound subject token over mTLS with another certificate", 400, "invalid_grant" },
        { "bound subject token without a certificate (JWT-SVID over http)", 400, "invalid_grant" },
        { "subject token cnf without x5t#S256", 400, "invalid_grant" },
        { "no client_id with the certificate", 401, "invalid_client" },
        { "client_id differs from the certificate", 401, "invalid_client" },
        { "certificate from an untrusted trust domain", 401, "invalid_client" },
        { "certificate SPIFFE ID not registered", 401, "invalid_client" },
        { "assertion of another agent than the certificate", 401, "invalid_client" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Refused_WithTheExactError(string name, int status, string error)
    {
        using var frontendLeaf = _edge.X509Authority.Issue(Frontend);
        var claims = _edge.UserClaims(Frontend);
        claims["cnf"] = new JsonObject { ["x5t#S256"] = CertificateThumbprint.Compute(frontendLeaf) };
        var bound = _edge.AccessToken(claims);
        var (actualStatus, body, response) = name switch
        {
            "control: bound subject token with its own certificate" =>
                await _edge.ExchangeOverMtlsAsync(MtlsForm(Frontend, bound, Researcher), frontendLeaf),
            "control: certificate and a JWT-SVID assertion of the same agent" =>
                await _edge.ExchangeOverMtlsAsync(_edge.Form(Frontend, bound, Researcher), frontendLeaf),
            "bound subject token over mTLS with another certificate" =>
                await _edge.ExchangeOverMtlsAsync(MtlsForm(Frontend, bound, Researcher), _edge.X509Authority.Issue(Frontend)),
            "bound subject token without a certificate (JWT-SVID over http)" =>
                await _edge.ExchangeAsync(_edge.Form(Frontend, bound, Researcher)),
            "subject token cnf without x5t#S256" =>
                await _edge.ExchangeOverMtlsAsync(MtlsForm(Frontend, WithCnf(claims, new JsonObject { ["jkt"] = "abc" }), Researcher), frontendLeaf),
            "no client_id with the certificate" =>
                await _edge.ExchangeOverMtlsAsync([.. MtlsForm(Frontend, bound, Researcher).Where(p => p.Key != "client_id")], frontendLeaf),
            "client_id differs from the certificate" =>
                await _edge.ExchangeOverMtlsAsync(MtlsForm(Researcher, bound, Researcher), frontendLeaf),
            "certificate from an untrusted trust domain" =>
                await _edge.ExchangeOverMtlsAsync(MtlsForm("spiffe://evil.org/agents/frontend", bound, Researcher),
                    _edge.UntrustedX509Authority.Issue("spiffe://evil.org/agents/frontend"), _edge.UntrustedX509Authority),
            "certificate SPIFFE ID not registered" =>
                await _edge.ExchangeOverMtlsAsync(MtlsForm("spiffe://example.org/strangers/mallory", bound, Researcher),
                    _edge.X509Authority.Issue("spiffe://example.org/strangers/mallory")),
            "assertion of another agent than the certificate" =>
                await _edge.ExchangeOverMtlsAsync(_edge.Form(Researcher, bound, Researcher), frontendLeaf),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such case"),
        };
        using (response)
        {
            if (status == 200)
            {
                Assert.Equal(HttpStatusCode.OK, actualStatus);
                return;
            }

            Assert.Equal((status, error), ((int)actualStatus, body.GetProperty("error").GetString()));
            Assert.False(string.IsNullOrEmpty(body.GetProperty("error_description").GetString()));
            Assert.False(body.TryGetProperty("access_token", out _));
        }
    }

    private string WithCnf(JsonObject claims, JsonObject cnf)
    {
        var copy = claims.DeepClone().AsObject();
        copy["cnf"] = cnf;
        return _edge.AccessToken(copy);
    }
}
