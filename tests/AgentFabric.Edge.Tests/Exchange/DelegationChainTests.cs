using System.Net;
using System.Text.Json.Nodes;
using AgentFabric.Edge.Exchange;
using static AgentFabric.Edge.Tests.Exchange.ExchangeEdge;

namespace AgentFabric.Edge.Tests.Exchange;

/// <summary>RFC 8693 token exchange hop by hop over loopback HTTP: the act chain nests (§4.1), aud is the target only,
/// sub stays the user, scopes narrow, lifetimes never pass the subject's or the cap.</summary>
public sealed class DelegationChainTests : IAsyncLifetime
{
    private readonly ExchangeEdge _edge = new();

    public Task InitializeAsync() => _edge.InitializeAsync();

    public Task DisposeAsync() => _edge.DisposeAsync();

    [Fact]
    public async Task ThreeHops_NestTheActChain_AndCapTheLifetime()
    {
        var start = _edge.Clock.GetUtcNow().ToUnixTimeSeconds();
        var userToken = _edge.AccessToken(_edge.UserClaims(Frontend));

        // Hop 1: frontend → researcher, no scope asked: the subject's scopes, echoed since they differ from the request.
        var (status1, body1, _) = await _edge.ExchangeAsync(_edge.Form(Frontend, userToken, Researcher));
        Assert.Equal(HttpStatusCode.OK, status1);
        Assert.Equal(TokenTypes.AccessToken, body1.GetProperty("issued_token_type").GetString());
        Assert.Equal("Bearer", body1.GetProperty("token_type").GetString());
        Assert.Equal(300, body1.GetProperty("expires_in").GetInt64()); // the 5-minute cap, not the user token's hour
        Assert.Equal("read write", body1.GetProperty("scope").GetString());
        var token1 = body1.GetProperty("access_token").GetString()!;
        Assert.Equal("at+jwt", Header(token1)["typ"]!.GetValue<string>());
        var claims1 = Payload(token1);
        Assert.Equal(_edge.Issuer.ToString(), claims1["iss"]!.GetValue<string>());
        Assert.Equal(User, claims1["sub"]!.GetValue<string>());
        Assert.Equal(Researcher, claims1["aud"]!.GetValue<string>());
        Assert.Equal(Frontend, claims1["client_id"]!.GetValue<string>());
        Assert.Equal(start, claims1["iat"]!.GetValue<long>());
        Assert.Equal(start + 300, claims1["exp"]!.GetValue<long>());
        Assert.True(JsonNode.DeepEquals(Act(Frontend), claims1["act"]));

        // Hop 2, 100 s later: researcher → writer narrowed to "read"; the token lives to hop 1's expiry, 200 s.
        _edge.Clock.Advance(TimeSpan.FromSeconds(100));
        var (status2, body2, _) = await _edge.ExchangeAsync(_edge.Form(Researcher, token1, Writer, scope: "read"));
        Assert.Equal(HttpStatusCode.OK, status2);
        Assert.Equal(200, body2.GetProperty("expires_in").GetInt64());
        Assert.False(body2.TryGetProperty("scope", out _)); // RFC 8693 §2.2.1: omitted when identical to the request
        var token2 = body2.GetProperty("access_token").GetString()!;
        var claims2 = Payload(token2);
        Assert.Equal(User, claims2["sub"]!.GetValue<string>());
        Assert.Equal(Writer, claims2["aud"]!.GetValue<string>());
        Assert.Equal("read", claims2["scope"]!.GetValue<string>());
        Assert.Equal(start + 300, claims2["exp"]!.GetValue<long>());
        Assert.True(JsonNode.DeepEquals(Act(Researcher, Frontend), claims2["act"]));

        // Hop 3, 50 s later: writer → archivist; 150 s left.
        _edge.Clock.Advance(TimeSpan.FromSeconds(50));
        var (status3, body3, _) = await _edge.ExchangeAsync(_edge.Form(Writer, token2, Archivist));
        Assert.Equal(HttpStatusCode.OK, status3);
        Assert.Equal(150, body3.GetProperty("expires_in").GetInt64());
        Assert.Equal("read", body3.GetProperty("scope").GetString());
        var claims3 = Payload(body3.GetProperty("access_token").GetString()!);
        Assert.Equal(User, claims3["sub"]!.GetValue<string>());
        Assert.Equal(Archivist, claims3["aud"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(
            Act(Writer, Researcher, Frontend), claims3["act"]));
        Assert.NotEqual(claims2["jti"]!.GetValue<string>(), claims3["jti"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReExchangeWithoutActor_KeepsTheChain_NoActLaundering()
    {
        // A delegated token re-exchanged with no actor_token: the chain comes from the subject token's act claim.
        var claims = _edge.UserClaims(Researcher);
        claims["act"] = new JsonObject { ["sub"] = Frontend };
        var (status, body, _) = await _edge.ExchangeAsync(_edge.Form(Researcher, _edge.AccessToken(claims), Writer, actor: false));
        Assert.Equal(HttpStatusCode.OK, status);
        var issued = Payload(body.GetProperty("access_token").GetString()!);
        Assert.True(JsonNode.DeepEquals(Act(Researcher, Frontend), issued["act"]));
    }

    [Fact]
    public async Task SubjectExpiringBeforeTheCap_BoundsTheLifetime()
    {
        var (status, body, response) = await _edge.ExchangeAsync(
            _edge.Form(Frontend, _edge.AccessToken(_edge.UserClaims(Frontend, TimeSpan.FromSeconds(42))), Researcher));
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(42, body.GetProperty("expires_in").GetInt64());
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString()); // RFC 6749 §5.1
        }
    }

    /// <summary>The act object for actors newest first: {"sub": a0, "act": {"sub": a1, ...}}.</summary>
    public static JsonObject Act(params string[] actors)
    {
        JsonObject? inner = null;
        foreach (var actor in actors.Reverse())
        {
            var node = new JsonObject { ["sub"] = actor };
            if (inner is not null)
            {
                node["act"] = inner;
            }

            inner = node;
        }

        return inner!;
    }

    [Fact]
    public async Task ChainExactlyAtTheCap_IsAllowed()
    {
        // Three actors already; the caller makes the fourth, the cap.
        var claims = _edge.UserClaims(Researcher);
        claims["act"] = Act(Frontend, Writer, Frontend);
        var (status, body, _) = await _edge.ExchangeAsync(_edge.Form(Researcher, _edge.AccessToken(claims), Writer));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(JsonNode.DeepEquals(Act(Researcher, Frontend, Writer, Frontend), Payload(body.GetProperty("access_token").GetString()!)["act"]));
    }

    [Fact]
    public async Task IssuedToken_VerifiesAgainstTheJwks_ForTheTargetOnly()
    {
        var (_, body, _) = await _edge.ExchangeAsync(_edge.Form(Frontend, _edge.AccessToken(_edge.UserClaims(Frontend)), Researcher));
        var token = body.GetProperty("access_token").GetString()!;
        using var discovery = System.Text.Json.JsonDocument.Parse(await _edge.Http.GetStringAsync(new Uri(_edge.Issuer, ".well-known/openid-configuration")));
        var jwksUri = new Uri(discovery.RootElement.GetProperty("jwks_uri").GetString()!);
        var jwks = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await _edge.Http.GetStringAsync(jwksUri));
        var parameters = new Microsoft.IdentityModel.Tokens.TokenValidationParameters
        {
            ValidIssuer = _edge.Issuer.ToString(),
            ValidAudience = Researcher,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["at+jwt"],
            ValidAlgorithms = ["ES256"],
            LifetimeValidator = (_, _, _, _) => true, // the edge runs on a fake clock
        };
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var valid = await handler.ValidateTokenAsync(token, parameters);
        Assert.True(valid.IsValid, valid.Exception?.Message);
        parameters.ValidAudience = Writer;
        Assert.False((await handler.ValidateTokenAsync(token, parameters)).IsValid);
    }

    [Fact]
    public async Task MayAct_NamingTheCaller_IsHonoured()
    {
        var claims = _edge.UserClaims(Frontend);
        claims["may_act"] = new JsonObject { ["sub"] = Frontend };
        var (status, _, _) = await _edge.ExchangeAsync(_edge.Form(Frontend, _edge.AccessToken(claims), Researcher));
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
