using System.Net;
using System.Text.Json;
using static AgentFabric.Edge.Tests.Exchange.ExchangeEdge;

namespace AgentFabric.Edge.Tests.Exchange;

/// <summary>Issue #15: each exchange decision is an event in OPA's decision-log shape whose decision_id is the issued
/// token's jti, and a refusal names its decision id.</summary>
public sealed class ExchangeDecisionLogTests : IAsyncLifetime
{
    private readonly string _log = Path.Combine(Path.GetTempPath(), "af-edge-decisions-" + Guid.NewGuid().ToString("N") + ".jsonl");
    private readonly ExchangeEdge _edge;

    public ExchangeDecisionLogTests() => _edge = new ExchangeEdge(o => o.DecisionLogPath = _log);

    public Task InitializeAsync() => _edge.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        File.Delete(_log);
    }

    [Fact]
    public async Task AnAllowedExchange_IsLoggedUnderTheTokensJti()
    {
        var (status, body, response) = await _edge.ExchangeAsync(_edge.Form(Frontend, _edge.AccessToken(_edge.UserClaims(Frontend)), Researcher));
        response.Dispose();
        Assert.Equal(HttpStatusCode.OK, status);
        var jti = Payload(body.GetProperty("access_token").GetString()!)["jti"]!.GetValue<string>();

        var e = await EventAsync(jti);
        Assert.Equal("edge/exchange/allow", e.GetProperty("path").GetString());
        Assert.True(e.GetProperty("result").GetBoolean());
        Assert.Equal(Frontend, e.GetProperty("input").GetProperty("caller").GetProperty("spiffe_id").GetString());
        Assert.Equal(Researcher, e.GetProperty("input").GetProperty("resource").GetProperty("id").GetString());
        Assert.Equal("token.exchange", e.GetProperty("input").GetProperty("action").GetString());
        Assert.Equal(User, e.GetProperty("input").GetProperty("user").GetProperty("sub").GetString());
        Assert.Equal(_edge.Issuer.ToString(), e.GetProperty("labels").GetProperty("id").GetString());
        Assert.Equal("agentfabric-edge", e.GetProperty("labels").GetProperty("app").GetString());
    }

    [Fact]
    public async Task ARefusedExchange_IsLoggedUnderTheIdItsErrorNames()
    {
        var (status, body, response) = await _edge.ExchangeAsync(_edge.Form(Frontend, _edge.AccessToken(_edge.UserClaims(Frontend)), Writer));
        response.Dispose();
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var description = body.GetProperty("error_description").GetString()!;
        const string marker = "(decision ";
        var id = description[(description.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].TrimEnd(')', '.');

        var e = await EventAsync(id);
        Assert.False(e.GetProperty("result").GetBoolean());
        Assert.Equal(Writer, e.GetProperty("input").GetProperty("resource").GetProperty("id").GetString());
    }

    /// <summary>The event with <paramref name="decisionId"/>, once the logger's background loop has written it.</summary>
    private async Task<JsonElement> EventAsync(string decisionId)
    {
        for (var i = 0; i < 200; i++)
        {
            if (File.Exists(_log))
            {
                foreach (var line in await File.ReadAllLinesAsync(_log))
                {
                    var e = JsonDocument.Parse(line).RootElement.Clone();
                    if (e.GetProperty("decision_id").GetString() == decisionId)
                    {
                        return e;
                    }
                }
            }

            await Task.Delay(25);
        }

        throw new Xunit.Sdk.XunitException($"no decision-log event {decisionId} in {_log}");
    }
}
