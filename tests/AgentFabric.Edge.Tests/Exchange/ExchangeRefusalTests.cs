using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AgentFabric.Edge.Exchange;
using Microsoft.IdentityModel.Tokens;
using static AgentFabric.Edge.Tests.Exchange.ExchangeEdge;

namespace AgentFabric.Edge.Tests.Exchange;

/// <summary>The negative table: each refused exchange with its exact RFC 6749 §5.2 / RFC 8693 §2.2.2 error code and
/// HTTP status. Every case starts from a request that succeeds (frontend → researcher) and breaks one thing.</summary>
public sealed class ExchangeRefusalTests : IAsyncLifetime
{
    // Strict about jti, so the table also covers an assertion without one (the default accepts it: see
    // ClientAssertionJtiTests).
    private readonly ExchangeEdge _edge = new(o => o.RequireClientAssertionJti = true);

    public Task InitializeAsync() => _edge.InitializeAsync();

    public Task DisposeAsync() => _edge.DisposeAsync();

    public static TheoryData<string, int, string> Cases => new()
    {
        { "control: the unbroken request succeeds", 200, "" },
        { "subject token expired", 400, "invalid_request" },
        { "subject token forged with another key", 400, "invalid_request" },
        { "subject token from another issuer", 400, "invalid_request" },
        { "subject token alg none", 400, "invalid_request" },
        { "subject token HS256 keyed with the public key", 400, "invalid_request" },
        { "subject token is not an access token (typ JWT)", 400, "invalid_request" },
        { "subject token addressed to another agent", 400, "invalid_request" },
        { "subject token may_act names another agent", 400, "invalid_request" },
        { "subject token act is not an object", 400, "invalid_request" },
        { "subject token without sub", 400, "invalid_request" },
        { "subject token is not a JWT", 400, "invalid_request" },
        { "subject token sub is not a string", 400, "invalid_request" },
        { "subject token may_act sub is not a string", 400, "invalid_request" },
        { "delegation depth over the cap", 400, "invalid_request" },
        { "subject_token missing", 400, "invalid_request" },
        { "subject_token_type missing", 400, "invalid_request" },
        { "subject_token_type unsupported", 400, "invalid_request" },
        { "actor_token without actor_token_type", 400, "invalid_request" },
        { "requested_token_type unsupported", 400, "invalid_request" },
        { "subject_token repeated", 400, "invalid_request" },
        { "actor token names another agent than the client", 400, "invalid_request" },
        { "actor token from an untrusted trust domain", 400, "invalid_request" },
        { "no client assertion", 401, "invalid_client" },
        { "client assertion type unsupported", 401, "invalid_client" },
        { "client assertion from an untrusted trust domain", 401, "invalid_client" },
        { "client assertion with the wrong audience", 401, "invalid_client" },
        { "client assertion expired", 401, "invalid_client" },
        { "client assertion alg none", 401, "invalid_client" },
        { "client assertion replayed (same jti)", 401, "invalid_client" },
        { "client assertion without jti", 401, "invalid_client" },
        { "client assertion with an empty jti", 401, "invalid_client" },
        { "client assertion is not a JWT", 401, "invalid_client" },
        { "client_id differs from the assertion", 401, "invalid_client" },
        { "client SPIFFE ID not registered", 401, "invalid_client" },
        { "audience refused by policy", 400, "invalid_target" },
        { "two audiences", 400, "invalid_target" },
        { "audience is not a SPIFFE ID", 400, "invalid_target" },
        { "audience missing", 400, "invalid_request" },
        { "scope widened", 400, "invalid_scope" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Refused_WithTheExactError(string name, int status, string error)
    {
        var form = await BuildAsync(name);
        var (actualStatus, body, response) = await _edge.ExchangeAsync(form);
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
            if (status == 401)
            {
                // RFC 6749 §5.2: a 401 names the scheme the client should use.
                Assert.NotEmpty(response.Headers.WwwAuthenticate);
            }
        }
    }

    private async Task<List<KeyValuePair<string, string>>> BuildAsync(string name)
    {
        var claims = _edge.UserClaims(Frontend);
        string Subject() => _edge.AccessToken(claims);
        List<KeyValuePair<string, string>> Good() => _edge.Form(Frontend, Subject(), Researcher);
        switch (name)
        {
            case "control: the unbroken request succeeds":
                return Good();
            case "subject token expired":
                claims["exp"] = _edge.Clock.GetUtcNow().AddSeconds(-1).ToUnixTimeSeconds();
                return Good();
            case "subject token forged with another key":
            {
                using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                return _edge.Form(Frontend, _edge.AccessToken(claims, key: new ECDsaSecurityKey(other)), Researcher);
            }

            case "subject token from another issuer":
                claims["iss"] = "https://elsewhere.example/";
                return Good();
            case "subject token alg none":
                return _edge.Form(Frontend, Unsecured(new JsonObject { ["alg"] = "none", ["typ"] = "at+jwt" }, claims), Researcher);
            case "subject token HS256 keyed with the public key":
                return _edge.Form(Frontend, _edge.Hs256WithPublicKey(claims), Researcher);
            case "subject token is not an access token (typ JWT)":
                return _edge.Form(Frontend, _edge.AccessToken(claims, typ: "JWT"), Researcher);
            case "subject token addressed to another agent":
                claims["aud"] = Writer;
                return Good();
            case "subject token may_act names another agent":
                claims["may_act"] = new JsonObject { ["sub"] = Writer };
                return Good();
            case "subject token act is not an object":
                claims["act"] = Writer;
                return Good();
            case "subject token is not a JWT":
                return Replace(Good(), "subject_token", "not-a-token");
            case "client assertion is not a JWT":
                return Replace(Good(), "client_assertion", "not.a.token");
            case "subject token without sub":
                claims.Remove("sub");
                return Good();
            case "subject token sub is not a string":
                claims["sub"] = 42;
                return Good();
            case "subject token may_act sub is not a string":
                claims["may_act"] = new JsonObject { ["sub"] = 42 };
                return Good();
            case "delegation depth over the cap":
                // Four actors already: the caller would be the fifth, over the cap of 4.
                claims["act"] = DelegationChainTests.Act(Writer, Researcher, Writer, Researcher);
                return Good();
            case "subject_token missing":
                return Without(Good(), "subject_token");
            case "subject_token_type missing":
                return Without(Good(), "subject_token_type");
            case "subject_token_type unsupported":
                return Replace(Good(), "subject_token_type", "urn:ietf:params:oauth:token-type:saml2");
            case "actor_token without actor_token_type":
                return Without(Good(), "actor_token_type");
            case "requested_token_type unsupported":
                return [.. Good(), new("requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token")];
            case "subject_token repeated":
                return [.. Good(), new("subject_token", Subject())];
            case "actor token names another agent than the client":
                return Replace(Good(), "actor_token", _edge.Svid(Researcher));
            case "actor token from an untrusted trust domain":
                return Replace(Good(), "actor_token", _edge.Svid("spiffe://evil.org/agents/frontend", signer: _edge.UntrustedSigner));
            case "no client assertion":
                return Without(Without(Good(), "client_assertion"), "client_assertion_type");
            case "client assertion type unsupported":
                return Replace(Good(), "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
            case "client assertion from an untrusted trust domain":
                return Replace(Good(), "client_assertion", _edge.Svid("spiffe://evil.org/agents/frontend", signer: _edge.UntrustedSigner));
            case "client assertion with the wrong audience":
                return Replace(Good(), "client_assertion", _edge.Svid(Frontend, audience: "spiffe://example.org/some/other/server"));
            case "client assertion expired":
            {
                var assertion = _edge.Svid(Frontend, life: TimeSpan.FromSeconds(10));
                _edge.Clock.Advance(TimeSpan.FromSeconds(11));
                return Replace(_edge.Form(Frontend, _edge.AccessToken(_edge.UserClaims(Frontend)), Researcher), "client_assertion", assertion);
            }

            case "client assertion alg none":
            {
                var payload = Payload(_edge.Svid(Frontend));
                return Replace(Good(), "client_assertion", Unsecured(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }, payload));
            }

            case "client assertion replayed (same jti)":
            {
                var assertion = _edge.Svid(Frontend, jti: "once");
                var first = await _edge.ExchangeAsync(Replace(Good(), "client_assertion", assertion));
                first.Response.Dispose();
                Assert.Equal(HttpStatusCode.OK, first.Status);
                return Replace(Good(), "client_assertion", assertion);
            }

            case "client assertion without jti":
                return Replace(Good(), "client_assertion", _edge.Svid(Frontend, withJti: false));
            case "client assertion with an empty jti":
                return Replace(Good(), "client_assertion", _edge.Svid(Frontend, jti: ""));
            case "client_id differs from the assertion":
                return [.. Good(), new("client_id", Researcher)];
            case "client SPIFFE ID not registered":
            {
                const string stranger = "spiffe://example.org/strangers/mallory";
                return _edge.Form(stranger, _edge.AccessToken(_edge.UserClaims(stranger)), Researcher);
            }

            case "audience refused by policy":
                return Replace(Good(), "audience", Writer);
            case "two audiences":
                return [.. Good(), new("audience", Writer)];
            case "audience is not a SPIFFE ID":
                return Replace(Good(), "audience", "https://api.example.org/");
            case "audience missing":
                return Without(Good(), "audience");
            case "scope widened":
                return [.. Good(), new("scope", "read admin")];
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "no such case");
        }
    }

    private static List<KeyValuePair<string, string>> Without(List<KeyValuePair<string, string>> form, string name) =>
        [.. form.Where(p => p.Key != name)];

    private static List<KeyValuePair<string, string>> Replace(List<KeyValuePair<string, string>> form, string name, string value) =>
        [.. form.Select(p => p.Key == name ? new KeyValuePair<string, string>(name, value) : p)];
}
