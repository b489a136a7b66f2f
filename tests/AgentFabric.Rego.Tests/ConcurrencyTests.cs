using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests;

public class ConcurrencyTests
{
    private const string Policy = """
        package app.authz

        default allow := false

        allow if "admin" in data.roles[input.user]

        allow if {
            some role in data.roles[input.user]
            some grant in data.grants[role]
            grant.action == input.action
        }
        """;

    private const string Data = """
        {"roles": {"ann": ["admin"], "bo": ["reader"], "cy": []},
         "grants": {"reader": [{"action": "read"}]}}
        """;

    [Fact]
    public void ParallelEvaluationsOfOnePreparedQueryAgree()
    {
        var engine = new RegoEngine();
        var policy = engine.Compile([new RegoModuleSource("authz.rego", Policy)], Value.ParseJson(Data));
        var query = engine.Prepare(policy, "data.app.authz.allow");
        var cases = new (string User, string Action, bool Allowed)[]
        {
            ("ann", "write", true), ("bo", "read", true), ("bo", "write", false), ("cy", "read", false), ("zed", "read", false),
        };
        var failures = 0;
        Parallel.For(0, 4000, i =>
        {
            var (user, action, allowed) = cases[i % cases.Length];
            var input = ObjectValue.Create(("user", user), ("action", action));
            if (query.Evaluate(input).IsTrue != allowed)
            {
                Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal(0, failures);
    }

    [Fact]
    public async Task PolicyStoreSwapsAtomicallyAndKeepsCurrentOnBadUpdate()
    {
        var engine = new RegoEngine();
        var store = new PolicyStore(engine, engine.Compile([new RegoModuleSource("v.rego", "package v\nversion := 1")]));
        Assert.Equal(NumberValue.Create(1), store.Evaluate("data.v.version", null).Value);

        var readers = Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var v = store.Evaluate("data.v.version", null).Value;
                Assert.True(v == NumberValue.Create(1) || v == NumberValue.Create(2), $"saw {v}");
            }
        });
        store.Update([new RegoModuleSource("v.rego", "package v\nversion := 2")]);
        await readers;
        Assert.Equal(NumberValue.Create(2), store.Evaluate("data.v.version", null).Value);

        Assert.Throws<RegoParseException>(() => store.Update([new RegoModuleSource("v.rego", "package v\nversion := ")]));
        Assert.Equal(NumberValue.Create(2), store.Evaluate("data.v.version", null).Value);
    }
}
