using AgentFabric.Authorization;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.PolicyServer.Tests;

/// <summary>The embedded PDP and the remote PDP talking to this server give identical decisions on one table.</summary>
public sealed class EmbeddedAndRemoteDecisionTests : IAsyncLifetime
{
    private const string Policy = """
        package app.authz

        default allow := false

        allow if {
            input.caller.spiffe_id in data.app.callers[input.resource.type]
            count(input.delegation_chain) <= 2
        }

        reasons contains "unknown caller" if not input.caller.spiffe_id in {id | some t; some id in data.app.callers[t]}

        reasons contains "chain too long" if count(input.delegation_chain) > 2

        decision := {"allow": allow, "reasons": reasons}

        only_for_writer if input.caller.spiffe_id == "spiffe://example.org/agent/writer"
        """;

    private const string Data = """{"callers":{"report":["spiffe://example.org/agent/researcher"],"draft":["spiffe://example.org/agent/writer","spiffe://example.org/agent/researcher"]}}""";

    public static TheoryData<string, string> Table() => new()
    {
        { "app/authz/allow", """{"caller":{"spiffe_id":"spiffe://example.org/agent/researcher"},"resource":{"type":"report"},"delegation_chain":[]}""" },
        { "app/authz/allow", """{"caller":{"spiffe_id":"spiffe://example.org/agent/writer"},"resource":{"type":"report"},"delegation_chain":[]}""" },
        { "app/authz/allow", """{"caller":{"spiffe_id":"spiffe://example.org/agent/writer"},"resource":{"type":"draft"},"delegation_chain":["a","b","c"]}""" },
        { "app/authz/decision", """{"caller":{"spiffe_id":"spiffe://example.org/agent/mallory"},"resource":{"type":"draft"},"delegation_chain":["a","b","c"]}""" },
        { "app/authz/decision", """{"caller":{"spiffe_id":"spiffe://example.org/agent/researcher"},"resource":{"type":"draft"},"delegation_chain":["a"]}""" },
        { "app/authz/only_for_writer", """{"caller":{"spiffe_id":"spiffe://example.org/agent/researcher"}}""" },
        { "app/authz/only_for_writer", """{"caller":{"spiffe_id":"spiffe://example.org/agent/writer"}}""" },
        { "app/authz", """{"caller":{"spiffe_id":"spiffe://example.org/agent/writer"},"resource":{"type":"draft"},"delegation_chain":[]}""" },
        { "app/nothing/here", "{}" },
    };

    private RunningPolicyServer? _server;
    private HttpClient? _http;
    private EmbeddedPolicyDecisionPoint? _embedded;

    public async Task InitializeAsync()
    {
        _server = await RunningPolicyServer.StartAsync();
        await _server.PutPolicyAsync("authz", Policy);
        var (status, body) = await _server.SendAsync(HttpMethod.Put, "v1/data/app", Data);
        Assert.True(status == 204, body);

        var engine = new RegoEngine();
        var store = new PolicyStore(engine, engine.Compile([new RegoModuleSource("authz.rego", Policy)], Value.ParseJson("""{"app":""" + Data + "}")));
        _embedded = new EmbeddedPolicyDecisionPoint(store);
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        await _server!.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Table))]
    public async Task BothAnswerTheSame(string path, string input)
    {
        var remote = new RemotePolicyDecisionPoint(_http!, _server!.Address, TimeSpan.FromSeconds(10));
        var decisionPath = DecisionPath.Parse(path);
        var value = Value.ParseJson(input);

        var local = await _embedded!.DecideAsync(decisionPath, value);
        var served = await remote.DecideAsync(decisionPath, value);

        Assert.Equal(local.Result?.ToJson(), served.Result?.ToJson());
        Assert.Equal(local.IsAllowed, served.IsAllowed);
    }
}
