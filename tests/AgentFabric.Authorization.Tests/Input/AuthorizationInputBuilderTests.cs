using System.Text.Json;
using AgentFabric.Authorization.Input;
using AgentFabric.Authorization.Tests.Fixtures;
using AgentFabric.Spiffe;
using NJsonSchema;

namespace AgentFabric.Authorization.Tests.Input;

public sealed class AuthorizationInputBuilderTests
{
    private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 7, 10, 30, 0, TimeSpan.Zero).AddTicks(1_234_500);
    private static readonly SpiffeId Researcher = SpiffeId.Parse("spiffe://example.org/ns/agents/sa/researcher");

    private static AuthorizationInputBuilder Minimal() => new AuthorizationInputBuilder(new FixedClock(Now))
        .WithCaller(Researcher)
        .WithAction("report.write")
        .WithResource(new AuthorizationResource("agent", "spiffe://example.org/ns/agents/sa/writer"));

    private static JsonSchema Schema() =>
        JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "authorization-input.schema.json"))).GetAwaiter().GetResult();

    [Fact]
    public void Minimal_input()
    {
        var input = Minimal().Build();

        Assert.Equal(
            """{"action":"report.write","caller":{"path":["ns","agents","sa","researcher"],"spiffe_id":"spiffe://example.org/ns/agents/sa/researcher","trust_domain":"example.org"},"delegation":[],"resource":{"id":"spiffe://example.org/ns/agents/sa/writer","type":"agent"},"time":{"rfc3339":"2026-12-07T10:30:00.12345Z","unix_ns":1796639400123450000}}""",
            input.ToJson());
    }

    [Fact]
    public void Full_input_from_an_exchanged_token()
    {
        using var claims = JsonDocument.Parse("""
            {"sub": "alice", "iss": "https://edge.example.org", "scope": "report search report",
             "act": {"sub": "spiffe://example.org/ns/agents/sa/researcher", "scope": "report",
                     "act": {"sub": "spiffe://example.org/ns/ui/sa/frontend", "scope": "report search"}}}
            """);

        var input = Minimal()
            .WithUserToken(claims.RootElement)
            .WithResource(new AuthorizationResource("report", "42", "alice", new Dictionary<string, string> { ["lang"] = "en" }))
            .WithRequest("post", "/reports/42", [new("X-Request-Id", "r-1"), new("Authorization", "Bearer secret"), new("Accept", "a"), new("accept", "b")], ["x-request-id", "Accept"])
            .Build();

        Assert.Equal(
            """{"action":"report.write","caller":{"path":["ns","agents","sa","researcher"],"spiffe_id":"spiffe://example.org/ns/agents/sa/researcher","trust_domain":"example.org"},"delegation":[{"path":["ns","agents","sa","researcher"],"scopes":["report"],"spiffe_id":"spiffe://example.org/ns/agents/sa/researcher","trust_domain":"example.org"},{"path":["ns","ui","sa","frontend"],"scopes":["report","search"],"spiffe_id":"spiffe://example.org/ns/ui/sa/frontend","trust_domain":"example.org"}],"request":{"headers":{"accept":"a, b","x-request-id":"r-1"},"method":"POST","path":"/reports/42"},"resource":{"attributes":{"lang":"en"},"id":"42","owner":"alice","type":"report"},"time":{"rfc3339":"2026-12-07T10:30:00.12345Z","unix_ns":1796639400123450000},"user":{"claims":{"iss":"https://edge.example.org","scope":"report search report","sub":"alice"},"scopes":["report","search"],"sub":"alice"}}""",
            input.ToJson());
    }

    [Fact]
    public void Built_inputs_satisfy_the_schema()
    {
        using var claims = JsonDocument.Parse("""{"sub":"alice","scope":"a","act":{"sub":"spiffe://example.org/ns/ui/sa/frontend","scope":"a b"}}""");
        var schema = Schema();

        Assert.Empty(schema.Validate(Minimal().Build().ToJson()));
        Assert.Empty(schema.Validate(Minimal().WithUserToken(claims.RootElement).WithRequest("GET", "/x", [new("X-A", "1")], ["x-a"]).Build().ToJson()));
    }

    [Theory]
    [InlineData("""{"caller":{"spiffe_id":"spiffe://example.org/a","trust_domain":"example.org","path":["a"]},"delegation":[],"action":"x","resource":{"type":"t"}}""", "PropertyRequired")]
    [InlineData("""{"caller":{"spiffe_id":"https://example.org/a","trust_domain":"example.org","path":["a"]},"delegation":[],"action":"x","resource":{"type":"t"},"time":{"unix_ns":1,"rfc3339":"x"}}""", "PatternMismatch")]
    [InlineData("""{"caller":{"spiffe_id":"spiffe://example.org/a","trust_domain":"example.org","path":["a"]},"delegation":[],"action":"x","resource":{"type":"t"},"time":{"unix_ns":1,"rfc3339":"x"},"subject":{}}""", "NoAdditionalPropertiesAllowed")]
    public void Schema_refuses_other_shapes(string json, string kind) =>
        Assert.Contains(Schema().Validate(json), e => e.Kind.ToString() == kind);

    [Theory]
    [InlineData("""{"iss":"x"}""", "authorization input: the token has no sub claim")]
    [InlineData("""{"sub":""}""", "authorization input: the token has no sub claim")]
    [InlineData("""{"sub":"a","scope":["a"]}""", "authorization input: scope must be a space-separated string, not Array")]
    [InlineData("""{"sub":"a","act":"spiffe://example.org/x"}""", "authorization input: act claim at depth 0 must be a JSON object")]
    [InlineData("""{"sub":"a","act":{"sub":"frontend"}}""", "authorization input: act.sub at depth 0 is not a SPIFFE ID: spiffeid: scheme is missing or invalid (expected \"spiffe://\")")]
    [InlineData("""{"sub":"a","act":{"sub":"spiffe://example.org/x","act":{}}}""", "authorization input: act.sub at depth 1 is not a SPIFFE ID: missing")]
    [InlineData("""{"sub":"a","act":{"sub":"spiffe://example.org/x","scope":1}}""", "authorization input: act.scope at depth 0 must be a space-separated string, not Number")]
    [InlineData("[]", "authorization input: token claims must be a JSON object, not Array")]
    public void Bad_token_claims_are_refused(string json, string message)
    {
        using var claims = JsonDocument.Parse(json);

        Assert.Equal(message, Assert.Throws<AuthorizationInputException>(() => Minimal().WithUserToken(claims.RootElement)).Message);
    }

    [Fact]
    public void Missing_parts_are_named() =>
        Assert.Equal("authorization input: missing caller, action, resource",
            Assert.Throws<InvalidOperationException>(() => new AuthorizationInputBuilder().Build()).Message);

    [Fact]
    public void Relative_request_path_is_refused() =>
        Assert.Equal("authorization input: request path 'x' does not start with '/'",
            Assert.Throws<AuthorizationInputException>(() => Minimal().WithRequest("GET", "x", [], [])).Message);

    [Fact]
    public void Explicit_delegation_chain()
    {
        var input = Minimal().WithDelegation([new DelegationHop(Researcher)]).Build();

        Assert.Contains("\"delegation\":[{\"path\":[\"ns\",\"agents\",\"sa\",\"researcher\"],\"spiffe_id\":\"spiffe://example.org/ns/agents/sa/researcher\",\"trust_domain\":\"example.org\"}]", input.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "2026-12-07T10:30:00Z")]
    [InlineData(1, "2026-12-07T10:30:00.0000001Z")]
    [InlineData(1_000_000, "2026-12-07T10:30:00.1Z")]
    public void Timestamps_are_rfc3339_nano_without_trailing_zeros(long ticks, string text) =>
        Assert.Equal(text, Rfc3339.FormatNano(new DateTimeOffset(2026, 12, 7, 10, 30, 0, TimeSpan.Zero).AddTicks(ticks)));
}
