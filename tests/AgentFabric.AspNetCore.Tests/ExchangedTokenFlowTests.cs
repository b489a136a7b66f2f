using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using AgentFabric.Edge.Tests.Exchange;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.AspNetCore.Tests;

/// <summary>The whole hop on a real edge: frontend → researcher → writer, each token exchanged by the SDK, and every
/// way a token presented to a workload is refused (forged, replayed to another workload or by another caller, expired,
/// not exchanged), with the exact RFC 6750 error.</summary>
public sealed class ExchangedTokenFlowTests : IAsyncLifetime
{
    private AgentsOverEdge _agents = null!;

    public async Task InitializeAsync() => _agents = await AgentsOverEdge.StartAsync();

    public async Task DisposeAsync() => await _agents.DisposeAsync();

    [Fact]
    public async Task Chain_FrontendResearcherWriter_CarriesTheUserAndTheDelegation()
    {
        var writerSaw = await _agents.FrontendCallsResearchAsync(_agents.UserToken());

        Assert.Equal(ExchangeEdge.Researcher, writerSaw.GetProperty("caller").GetString());
        Assert.Equal(ExchangeEdge.User, writerSaw.GetProperty("user").GetString());
        Assert.Equal([ExchangeEdge.Researcher, ExchangeEdge.Frontend], writerSaw.GetProperty("chain").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ExchangedToken_IsCached_UntilShortlyBeforeExpiry()
    {
        var user = _agents.UserToken();
        await _agents.FrontendCallsResearchAsync(user);
        await _agents.FrontendCallsResearchAsync(user);
        var afterTwoCalls = _agents.FrontendExchanges.Posts;

        // The exchanged token lives 5 minutes (the edge's cap); 30 s before that it is replaced.
        _agents.Edge.Clock.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(31));
        await _agents.FrontendCallsResearchAsync(user);

        Assert.Equal((1, 2), (afterTwoCalls, _agents.FrontendExchanges.Posts));
    }

    [Fact]
    public async Task ConcurrentCalls_ShareOneExchange()
    {
        var user = _agents.UserToken();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _agents.FrontendCallsResearchAsync(user)));

        Assert.Equal(1, _agents.FrontendExchanges.Posts);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "forged: the exchanged claims signed with another key", "the token is not valid: signed by a key the edge does not publish" },
        { "replayed to another workload (audience is the researcher)", "the token is not valid: not addressed to this workload" },
        { "replayed by another caller (exchanged for the frontend)", "the token was exchanged for spiffe://example.org/agents/frontend, not for the caller spiffe://example.org/agents/writer" },
        { "expired", "the token is not valid: expired" },
        { "a user token, never exchanged", "the token has no act claim: it was not exchanged for the calling workload" },
        { "not an access token (typ JWT)", "the token is not valid: not an access token (typ at+jwt)" },
        { "unsecured (alg none)", "the token is not valid: bad signature" },
        { "not a JWT", "the token is not valid: not a JWT" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task PresentedToken_IsRefused_With401InvalidToken(string name, string description)
    {
        var edge = _agents.Edge;
        var forResearcher = await _agents.ExchangeAsync(ExchangeEdge.Frontend, _agents.UserToken(), ExchangeEdge.Researcher);
        var claims = ExchangeEdge.Payload(forResearcher);
        var (token, target, caller) = name switch
        {
            "forged: the exchanged claims signed with another key" => (edge.AccessToken(claims, key: new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "forged" }), _agents.Researcher, ExchangeEdge.Frontend),
            "replayed to another workload (audience is the researcher)" => (forResearcher, _agents.Writer, ExchangeEdge.Frontend),
            "replayed by another caller (exchanged for the frontend)" => (forResearcher, _agents.Researcher, ExchangeEdge.Writer),
            "expired" => (forResearcher, _agents.Researcher, ExchangeEdge.Frontend),
            "a user token, never exchanged" => (edge.AccessToken(edge.UserClaims(ExchangeEdge.Researcher)), _agents.Researcher, ExchangeEdge.Frontend),
            "not an access token (typ JWT)" => (edge.AccessToken(claims, typ: "JWT"), _agents.Researcher, ExchangeEdge.Frontend),
            "unsecured (alg none)" => (ExchangeEdge.Unsecured(new() { ["alg"] = "none", ["typ"] = "at+jwt" }, claims), _agents.Researcher, ExchangeEdge.Frontend),
            _ => ("not-a-jwt", _agents.Researcher, ExchangeEdge.Frontend),
        };
        if (name == "expired")
        {
            edge.Clock.Advance(TimeSpan.FromMinutes(6));
        }

        using var http = target.Client(_agents.Svid(caller), _agents.Bundles, edge.Clock);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"{description}\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task ExchangedToken_PresentedByItsActor_IsAccepted()
    {
        var forResearcher = await _agents.ExchangeAsync(ExchangeEdge.Frontend, _agents.UserToken(), ExchangeEdge.Researcher);
        using var http = _agents.Researcher.Client(_agents.Svid(ExchangeEdge.Frontend), _agents.Bundles, _agents.Edge.Clock);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", forResearcher);

        using var response = await http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(
            (HttpStatusCode.OK, ExchangeEdge.Frontend, ExchangeEdge.User),
            (response.StatusCode, body.GetProperty("caller").GetString(), body.GetProperty("user").GetString()));
    }

    [Fact]
    public async Task VerifiedToken_IsRemembered_ButStillBoundToItsActor_AndItsLifetime()
    {
        var forResearcher = await _agents.ExchangeAsync(ExchangeEdge.Frontend, _agents.UserToken(), ExchangeEdge.Researcher);

        var first = await WhoAmIAsync(ExchangeEdge.Frontend, forResearcher);
        var replayed = await WhoAmIAsync(ExchangeEdge.Writer, forResearcher); // the same bytes from another peer
        var again = await WhoAmIAsync(ExchangeEdge.Frontend, forResearcher);
        var remembered = _agents.Researcher.App.Services.GetRequiredService<ExchangedTokenValidator>().CachedTokens;
        _agents.Edge.Clock.Advance(TimeSpan.FromMinutes(6));
        var expired = await WhoAmIAsync(ExchangeEdge.Frontend, forResearcher);

        Assert.Equal(
            ("200 ", $"401 Bearer error=\"invalid_token\", error_description=\"the token was exchanged for {ExchangeEdge.Frontend}, not for the caller {ExchangeEdge.Writer}\"", "200 ", 1, "401 Bearer error=\"invalid_token\", error_description=\"the token is not valid: expired\""),
            (first, replayed, again, remembered, expired));
    }

    private async Task<string> WhoAmIAsync(string caller, string token)
    {
        using var http = _agents.Researcher.Client(_agents.Svid(caller), _agents.Bundles, _agents.Edge.Clock);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return $"{(int)response.StatusCode} {response.Headers.WwwAuthenticate}";
    }
}
