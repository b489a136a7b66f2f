using System.Text.Json;
using AgentFabric.Authorization;
using AgentFabric.Rego.Values;
using ResearchAgents.Hosting.Trail;

namespace ResearchAgents.Tests;

public class HopBuilderTests
{
    private const string Frontend = "spiffe://example.org/ns/ui/sa/frontend";
    private const string Writer = "spiffe://example.org/ns/agents/sa/writer";

    [Theory]
    [InlineData("""{"type":"https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4","title":"Forbidden","status":403,"detail":"The policy denied this request.","decision_id":"d-1"}""", "d-1", "The policy denied this request.")]
    [InlineData("""{"title":"Forbidden","status":403}""", null, "Forbidden")]
    [InlineData("not json", null, "HTTP 403")]
    [InlineData("", null, "HTTP 403")]
    [InlineData("[1]", null, "HTTP 403")]
    public void Refused_TakesTheDecisionIdAndDetail_FromProblemDetails(string body, string? decisionId, string detail)
    {
        var hop = HopBuilder.Refused(Frontend, Writer, null, 403, body);
        Assert.Equal(new Hop(Frontend, Writer, null, [], Hop.Deny, decisionId, null, 403, detail), hop with { Delegation = [] });
        Assert.Empty(hop.Delegation);
    }

    [Theory]
    [InlineData("""{"sub":"u-1","name":"Demo User","preferred_username":"demo"}""", "demo")]
    [InlineData("""{"sub":"u-1","name":"Demo User"}""", "Demo User")]
    [InlineData("""{"sub":"u-1"}""", "u-1")]
    [InlineData("""{"sub":""}""", null)]
    [InlineData("""[]""", null)]
    public void UserName_PrefersTheLoginName(string claims, string? expected)
    {
        using var doc = JsonDocument.Parse(claims);
        Assert.Equal(expected, HopBuilder.UserName(doc.RootElement));
    }

    [Theory]
    [InlineData(true, "allow", 200, null)]
    [InlineData(false, "deny", 403, "The policy denied the request.")]
    public void Person_IsTheBrowsersRequest_WithTheDecision(bool allowed, string decision, int status, string? detail)
    {
        var result = new PolicyDecision(DecisionPath.Parse("agentfabric/samples/research/ask"), BooleanValue.Create(allowed), "id-7", TimeSpan.FromTicks(12_346));
        var hop = HopBuilder.Person(Frontend, "demo", result);
        Assert.Equal(Hop.Browser, hop.Caller);
        Assert.Equal(Frontend, hop.Callee);
        Assert.Equal("demo", hop.User);
        Assert.Equal(decision, hop.Decision);
        Assert.Equal("id-7", hop.DecisionId);
        Assert.Equal(1.235, hop.PolicyLatencyMs);
        Assert.Equal(status, hop.Status);
        Assert.Equal(detail, hop.Detail);
    }

    [Fact]
    public void Hop_SerializesWithSnakeCaseNames()
    {
        var hop = new Hop("a", "b", "demo", ["x", "y"], Hop.Allow, "id", 1.5, 200);
        Assert.Equal("""{"caller":"a","callee":"b","user":"demo","delegation":["x","y"],"decision":"allow","decision_id":"id","policy_latency_ms":1.5,"status":200,"detail":null}""",
            JsonSerializer.Serialize(hop));
    }
}
