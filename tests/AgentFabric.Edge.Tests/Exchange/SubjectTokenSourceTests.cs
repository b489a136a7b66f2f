using System.Net;
using System.Text.Json.Nodes;
using AgentFabric.Edge.Clients;
using static AgentFabric.Edge.Tests.Exchange.ExchangeEdge;

namespace AgentFabric.Edge.Tests.Exchange;

/// <summary>Subject tokens as they really arrive: issued by the edge's own OIDC provider, and carrying act chains with
/// more than string members, which the issued token must copy unchanged (RFC 8693 §4.1).</summary>
public sealed class SubjectTokenSourceTests : IAsyncLifetime
{
    private readonly ExchangeEdge _edge = new();

    public Task InitializeAsync() => _edge.InitializeAsync();

    public Task DisposeAsync() => _edge.DisposeAsync();

    [Fact]
    public async Task AnAccessTokenFromTheEdgesOwnTokenEndpoint_IsExchanged()
    {
        await _edge.Edge.AddClientAsync(new EdgeClientRegistration
        {
            ClientId = "backend",
            ClientSecret = "backend-secret-0123456789",
            GrantTypes = ["client_credentials"],
            Scopes = ["reports"],
        });
        using var http = _edge.Edge.NewBrowser();
        var (status, tokens) = await _edge.Edge.PostFormAsync(http, "connect/token",
            [new("grant_type", "client_credentials"), new("scope", "reports"), new("client_id", "backend"), new("client_secret", "backend-secret-0123456789")]);
        Assert.Equal(HttpStatusCode.OK, status);

        var (exchanged, body, response) = await _edge.ExchangeAsync(_edge.Form(Frontend, tokens.GetProperty("access_token").GetString()!, Researcher));
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, exchanged);
            var claims = Payload(body.GetProperty("access_token").GetString()!);
            Assert.Equal("backend", claims["sub"]!.GetValue<string>());
            Assert.Equal("reports", claims["scope"]!.GetValue<string>());
            Assert.True(JsonNode.DeepEquals(DelegationChainTests.Act(Frontend), claims["act"]));
        }
    }

    [Fact]
    public async Task ActMembersOfEveryJsonType_AreCopiedUnchanged()
    {
        var claims = _edge.UserClaims(Researcher);
        var previous = new JsonObject
        {
            ["sub"] = Frontend,
            ["iat"] = 1700000000,
            ["amr"] = new JsonArray("mtls", "svid"),
            ["delegated"] = true,
            ["ctx"] = new JsonObject { ["tenant"] = "t1", ["level"] = 2 },
        };
        claims["act"] = previous.DeepClone();
        var (status, body, response) = await _edge.ExchangeAsync(_edge.Form(Researcher, _edge.AccessToken(claims), Writer));
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            var act = Payload(body.GetProperty("access_token").GetString()!)["act"]!;
            Assert.Equal(Researcher, act["sub"]!.GetValue<string>());
            Assert.Equal(previous.ToJsonString(), act["act"]!.ToJsonString());
        }
    }
}
