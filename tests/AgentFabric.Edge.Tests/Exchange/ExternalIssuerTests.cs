using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AgentFabric.Edge.Exchange;
using Microsoft.IdentityModel.Tokens;
using static AgentFabric.Edge.Tests.Exchange.ExchangeEdge;

namespace AgentFabric.Edge.Tests.Exchange;

/// <summary>Subject tokens from an external issuer (the seeds' bridge: a legacy application's token exchanged for an
/// agent-bound one): keys from the issuer's discovery document and JWKS on loopback, refetched on an unknown kid.</summary>
public sealed class ExternalIssuerTests : IAsyncLifetime
{
    private const string Audience = "agentfabric-edge";
    private ExternalIdentityProvider _idp = null!;
    private ExchangeEdge _edge = null!;
    private RsaSecurityKey _key = null!;

    public async Task InitializeAsync()
    {
        _idp = await ExternalIdentityProvider.StartAsync();
        _key = _idp.NewKey("legacy-k1");
        _edge = new ExchangeEdge(o =>
        {
            var issuer = new ExternalIssuer { Issuer = _idp.Issuer, Audience = Audience, MinimumRefreshInterval = TimeSpan.FromSeconds(30) };
            issuer.Algorithms.Remove("ES256");
            o.ExternalIssuers.Add(issuer);
        });
        await _edge.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        await _idp.DisposeAsync();
    }

    [Fact]
    public async Task ALegacyAppsToken_IsExchangedForAnAgentBoundOne()
    {
        var (status, body, response) = await _edge.ExchangeAsync(_edge.Form(Frontend, _idp.Token(Claims(), _key), Researcher));
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            var claims = Payload(body.GetProperty("access_token").GetString()!);
            Assert.Equal(("legacy-user-7", _edge.Issuer.ToString(), Researcher, "read write"),
                (claims["sub"]!.GetValue<string>(), claims["iss"]!.GetValue<string>(), claims["aud"]!.GetValue<string>(), claims["scope"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task AKeyRotatedInAtTheIssuer_IsFetchedOnItsFirstUnknownKid()
    {
        using (var first = (await _edge.ExchangeAsync(_edge.Form(Frontend, _idp.Token(Claims(), _key), Researcher))).Response)
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var rotated = _idp.NewKey("legacy-k2");
        _edge.Clock.Advance(TimeSpan.FromSeconds(30));
        var (status, _, response) = await _edge.ExchangeAsync(_edge.Form(Frontend, _idp.Token(Claims(), rotated), Researcher));
        using (response)
        {
            Assert.Equal((HttpStatusCode.OK, 2), (status, _idp.JwksFetches));
        }
    }

    public static TheoryData<string, string> Cases => new()
    {
        { "wrong issuer", "The subject token is not a valid access token of this issuer: SecurityTokenInvalidIssuerException" },
        { "unknown kid", "The subject token's key \"legacy-k9\" is not in the JWKS of {idp}." },
        { "wrong audience", "The subject token of {idp} is not addressed to \"agentfabric-edge\"." },
        { "expired", "The subject token has expired." },
        { "algorithm not allowed (PS256)", "The subject token's algorithm \"PS256\" is not allowed for {idp}." },
        { "forged with another key under a published kid", "The subject token is not a valid token of {idp}: SecurityTokenInvalidSignatureException" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Refused_WithTheExactError(string name, string description)
    {
        var claims = Claims();
        string token;
        switch (name)
        {
            case "wrong issuer":
                claims["iss"] = _idp.Issuer.OriginalString + "-other";
                token = _idp.Token(claims, _key);
                break;
            case "unknown kid":
                token = _idp.Token(claims, _idp.NewKey("legacy-k9", publish: false));
                break;
            case "wrong audience":
                claims["aud"] = "some-other-app";
                token = _idp.Token(claims, _key);
                break;
            case "expired":
                claims["exp"] = _edge.Clock.GetUtcNow().AddSeconds(-1).ToUnixTimeSeconds();
                token = _idp.Token(claims, _key);
                break;
            case "algorithm not allowed (PS256)":
                token = _idp.Token(claims, _key, SecurityAlgorithms.RsaSsaPssSha256);
                break;
            case "forged with another key under a published kid":
                token = _idp.Token(claims, new RsaSecurityKey(RSA.Create(2048)) { KeyId = "legacy-k1" });
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "no such case");
        }

        var (status, body, response) = await _edge.ExchangeAsync(_edge.Form(Frontend, token, Researcher));
        using (response)
        {
            Assert.Equal((HttpStatusCode.BadRequest, "invalid_request", description.Replace("{idp}", _idp.Issuer.ToString(), StringComparison.Ordinal)),
                (status, body.GetProperty("error").GetString(), body.GetProperty("error_description").GetString()));
        }
    }

    private JsonObject Claims()
    {
        var now = _edge.Clock.GetUtcNow();
        return new JsonObject
        {
            ["iss"] = _idp.Issuer.OriginalString,
            ["sub"] = "legacy-user-7",
            ["aud"] = Audience,
            ["scope"] = "read write",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + TimeSpan.FromHours(1)).ToUnixTimeSeconds(),
        };
    }
}
