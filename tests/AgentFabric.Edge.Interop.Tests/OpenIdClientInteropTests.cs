using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFabric.Edge.Clients;
using AgentFabric.Edge.Tests.Exchange;
using Xunit.Abstractions;
using static AgentFabric.Edge.Tests.Exchange.ExchangeEdge;

namespace AgentFabric.Edge.Interop.Tests;

/// <summary>
/// Issue #15's interoperability proof: clients nobody here wrote, <c>openid-client</c> 6 and <c>jose</c> 6 from npm
/// (tests/interop/edge/exchange.mjs), against a real edge on 127.0.0.1: discovery, client credentials, two RFC 8693
/// exchanges through openid-client's generic grant with a JWT-SVID client assertion (jwt-spiffe), each issued token
/// verified by jose from the edge's JWKS (RFC 9068 <c>typ: at+jwt</c>, the target agent as audience) with its
/// <c>act</c> chain, and the edge's errors as openid-client reports them. Skipped, saying so, without node and npm.
/// </summary>
public sealed class OpenIdClientInteropTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string BackendSecret = "backend-secret-0123456789";
    private readonly ExchangeEdge _edge = new();

    public async Task InitializeAsync()
    {
        await _edge.InitializeAsync();
        await _edge.Edge.AddClientAsync(new EdgeClientRegistration
        {
            ClientId = "backend",
            ClientSecret = BackendSecret,
            GrantTypes = ["client_credentials"],
            Scopes = ["reports"],
        });
    }

    public Task DisposeAsync() => _edge.DisposeAsync();

    [NodeFact]
    public async Task OpenIdClientExchanges_AndJoseVerifiesTheIssuedTokens()
    {
        if (await InteropScripts.InstallAsync() is { } failure)
        {
            output.WriteLine("SKIPPED: " + failure);
            return;
        }

        var replayed = _edge.Svid(Frontend);
        var input = new JsonObject
        {
            ["issuer"] = _edge.Issuer.ToString(),
            ["backend"] = new JsonObject { ["id"] = "backend", ["secret"] = BackendSecret, ["scope"] = "reports" },
            ["hops"] = new JsonArray(Hop(Frontend, Researcher, replayed), Hop(Researcher, Writer)),
            ["replay"] = Hop(Frontend, Researcher, replayed),
            ["refused"] = Hop(Frontend, Archivist),
        };

        var (code, stdout, stderr) = await InteropScripts.RunAsync("exchange.mjs", input.ToJsonString());
        output.WriteLine(stdout);
        Assert.True(code == 0, $"node exited {code}: {stdout} {stderr}");
        var result = JsonNode.Parse(stdout)!.AsObject();

        var issuer = _edge.Issuer.ToString();
        AssertJson(
            $$"""{"issuer":"{{issuer}}","token_endpoint":"{{issuer}}connect/token","jwks_uri":"{{issuer}}.well-known/jwks","token_exchange_supported":true}""",
            result["discovery"]);
        // RFC 6749 §5.1: scope is left out when it is the one requested.
        AssertJson("""{"token_type":"bearer","scope":null,"sub":"backend"}""", result["clientCredentials"]);
        AssertJson(
            $$$"""
            [
              {"issued_token_type":"urn:ietf:params:oauth:token-type:access_token","token_type":"bearer","expires_in":300,"alg":"ES256",
               "typ":"at+jwt","has_kid":true,"sub":"backend","aud":"{{{Researcher}}}","scope":"reports",
               "act":{"sub":"{{{Frontend}}}"},"lifetime":300},
              {"issued_token_type":"urn:ietf:params:oauth:token-type:access_token","token_type":"bearer","expires_in":300,"alg":"ES256",
               "typ":"at+jwt","has_kid":true,"sub":"backend","aud":"{{{Writer}}}","scope":"reports",
               "act":{"sub":"{{{Researcher}}}","act":{"sub":"{{{Frontend}}}"}},"lifetime":300}
            ]
            """,
            result["hops"]);
        AssertJson("""{"code":"ERR_JWT_CLAIM_VALIDATION_FAILED","claim":"aud"}""", result["otherAudience"]);
        AssertJson(
            """{"error":"invalid_client","status":401,"error_description":"The client assertion was already used (jti replay)."}""",
            result["replay"]);
        var refused = result["refused"]!.AsObject();
        Assert.Equal("invalid_target", refused["error"]!.GetValue<string>());
        Assert.Equal(400, refused["status"]!.GetValue<int>());
        Assert.Matches(
            $"^The policy does not let {Frontend} obtain a token for {Archivist} \\(decision [0-9a-f-]{{36}}\\)\\.$",
            refused["error_description"]!.GetValue<string>());
        // OpenIddict's own client authentication answers a wrong secret with a Basic challenge (RFC 6749 §5.2 allows
        // it: client_secret_basic is supported), which openid-client reports as the challenge.
        AssertJson("""{"challenge":"basic","error":"invalid_client","status":401}""", result["wrongSecret"]);
    }

    /// <summary>One exchange's inputs: the agent's JWT-SVID as client assertion (the given one, or a fresh one) and a
    /// fresh one as actor token, for <paramref name="audience"/>.</summary>
    private JsonObject Hop(string client, string audience, string? assertion = null) => new()
    {
        ["client"] = client,
        ["assertion"] = assertion ?? _edge.Svid(client),
        ["actor"] = _edge.Svid(client),
        ["audience"] = audience,
    };

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), actual?.ToJsonString());
}
