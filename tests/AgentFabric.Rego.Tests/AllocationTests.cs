using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests;

/// <summary>A prepared decision allocates nothing once warm, whether it allows or denies (the engine's evaluator,
/// frames and caches are reused): measured with the thread's allocation counter over repeated evaluations.</summary>
public class AllocationTests
{
    private static readonly RegoEngine Engine = new();

    private const string AgentVault = """
        package t
        import rego.v1
        default allow := false
        allow if {
        	input.subject.type == "service"
        	input.subject.id == input.resource.owner
        }
        allow if {
        	input.subject.type == "agent"
        	valid_attestation[input.subject.id]
        }
        allow if {
        	input.subject.role == "admin"
        	input.action in {"token.issue", "policy.create"}
        }
        valid_attestation contains id if {
        	some id
        	data.attestations[id].verified == true
        }
        """;

    private const string Rbac = "package t\nimport rego.v1\n" + TestPolicies.Rbac;

    private const string Inventory = "package t\nimport rego.v1\n" + TestPolicies.Inventory;

    private const string Data = """
        {"attestations": {"a1": {"verified": true}, "a2": {"verified": false}},
         "callers": {"c1": {"scopes": ["read", "write"]}, "c2": {"scopes": ["read"]}},
         "user_roles": {"alice": ["admin"], "bob": ["employee", "billing"]},
         "role_grants": {"employee": [{"action": "read", "type": "dog"}, {"action": "update", "type": "cat"}],
                         "billing": [{"action": "read", "type": "finance"}, {"action": "update", "type": "finance"}]}}
        """;

    [Theory]
    [InlineData(AgentVault, """{"subject": {"type": "agent", "id": "a1"}}""", true)]
    [InlineData(AgentVault, """{"subject": {"type": "agent", "id": "a2"}}""", false)]
    [InlineData(AgentVault, """{"subject": {"type": "service", "id": "s", "role": "admin"}, "resource": {"owner": "x"}, "action": "policy.create"}""", true)]
    [InlineData(AgentVault, """{"subject": {"type": "service", "id": "s"}, "resource": {"owner": "x"}}""", false)]
    [InlineData(Rbac, """{"user": "bob", "action": "update", "type": "finance"}""", true)]
    [InlineData(Rbac, """{"user": "bob", "action": "delete", "type": "finance"}""", false)]
    [InlineData(Rbac, """{"user": "alice", "action": "delete", "type": "finance"}""", true)]
    [InlineData(Rbac, """{"user": "nobody"}""", false)]
    [InlineData(Inventory, """{"method": "PUT", "path": ["items"], "caller": "c1"}""", true)]
    [InlineData(Inventory, """{"method": "PUT", "path": ["items"], "caller": "c2"}""", false)]
    public void WarmDecisionsAllocateNothing(string module, string input, bool expected)
    {
        var query = Engine.Prepare(Engine.Compile([new RegoModuleSource("t.rego", module)], Value.ParseJson(Data)), "data.t.allow");
        var value = Value.ParseJson(input);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(expected, query.Evaluate(value).IsTrue);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50; i++)
        {
            query.Evaluate(value);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // The thread's evaluator is dropped after an evaluation that threw (its state may be half-way through a
    // computation); the next evaluation takes a fresh one and is warm again, not allocating one per decision.
    [Fact]
    public void DecisionsAfterAnErrorAreCorrectAndAllocateNothing()
    {
        const string module = """
            package t
            import rego.v1
            allow if input.x == 1
            conflict := input.a
            conflict := input.b
            """;
        var policy = Engine.Compile([new RegoModuleSource("t.rego", module)], null);
        var allow = Engine.Prepare(policy, "data.t.allow");
        var conflict = Engine.Prepare(policy, "data.t.conflict");
        var yes = Value.ParseJson("""{"x": 1}""");
        for (var i = 0; i < 5; i++)
        {
            Assert.True(allow.Evaluate(yes).IsTrue);
        }

        var e = Assert.Throws<RegoEvaluationException>(() => conflict.Evaluate(Value.ParseJson("""{"a": 1, "b": 2}""")));
        Assert.Equal("eval_conflict_error", e.Code);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(allow.Evaluate(yes).IsTrue);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50; i++)
        {
            allow.Evaluate(yes);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
