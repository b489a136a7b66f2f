using AgentFabric.Rego.Values;
using BenchmarkDotNet.Attributes;

namespace AgentFabric.Rego.Benchmarks;

/// <summary>Seed 003's <c>agentvault.authz</c> with 1,000 attested agents in data: an agent with a verified
/// attestation asks for <c>token.transfer</c> (allowed by the second rule).</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class AgentVaultAuthzBenchmarks
{
    private static readonly HashSet<string> AdminActions = ["token.issue", "account.suspend", "policy.create"];

    private PreparedQuery _query = null!;
    private Value _input = null!;
    private Dictionary<string, bool> _attestations = null!;
    private Request _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        var attestations = new ObjectValue.Builder();
        _attestations = [];
        for (var i = 0; i < 1000; i++)
        {
            var id = $"spiffe://agentvault.com/agent/agent{i:D4}";
            var verified = i % 7 != 0;
            _attestations[id] = verified;
            var a = new ObjectValue.Builder();
            a.Set("verified", BooleanValue.Create(verified));
            a.Set("issued_by", StringValue.Create("spiffe://agentvault.com/attestor"));
            attestations.Set(id, a.ToValue());
        }

        var data = new ObjectValue.Builder();
        data.Set("attestations", attestations.ToValue());
        _query = BenchPolicies.Prepare("agentvault_authz.rego", data.ToValue(), "data.agentvault.authz.allow");
        _input = Value.ParseJson("""
            {
              "subject": {"id": "spiffe://agentvault.com/agent/agent0123", "type": "agent", "role": "standard"},
              "action": "token.transfer",
              "resource": {"type": "token_balance", "owner": "spiffe://agentvault.com/agent/agent0123"}
            }
            """);
        _request = new Request(new Subject("spiffe://agentvault.com/agent/agent0123", "agent", "standard"), "token.transfer", "spiffe://agentvault.com/agent/agent0123");
        BenchPolicies.Check(true, _query.Evaluate(_input), "agentvault.authz");
        BenchPolicies.CheckBaseline(HandWrittenFromValue(), "agentvault.authz");
    }

    [Benchmark(Baseline = true)]
    public bool HandWritten()
    {
        var r = _request;
        if (r.Subject.Type == "service" && r.Subject.Id == r.ResourceOwner)
        {
            return true;
        }

        if (r.Subject.Type == "agent" && _attestations.TryGetValue(r.Subject.Id, out var verified) && verified)
        {
            return true;
        }

        return r.Subject.Role == "admin" && AdminActions.Contains(r.Action);
    }

    /// <summary>The same decision read from the input <see cref="Value"/> the engine receives (input mapping
    /// counted on both sides).</summary>
    [Benchmark]
    public bool HandWrittenFromValue()
    {
        if (_input is not ObjectValue input || input.Get("subject") is not ObjectValue subject)
        {
            return false;
        }

        var type = BenchPolicies.Text(subject.Get("type"));
        var id = BenchPolicies.Text(subject.Get("id"));
        if (type == "service" && id is not null && input.Get("resource") is ObjectValue resource && id == BenchPolicies.Text(resource.Get("owner")))
        {
            return true;
        }

        if (type == "agent" && id is not null && _attestations.TryGetValue(id, out var verified) && verified)
        {
            return true;
        }

        return BenchPolicies.Text(subject.Get("role")) == "admin" && BenchPolicies.Text(input.Get("action")) is { } action && AdminActions.Contains(action);
    }

    [Benchmark]
    public bool Rego() => _query.Evaluate(_input).IsTrue;

    private sealed record Subject(string Id, string Type, string Role);

    private sealed record Request(Subject Subject, string Action, string ResourceOwner);
}
