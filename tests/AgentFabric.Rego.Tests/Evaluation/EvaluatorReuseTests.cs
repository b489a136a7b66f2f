using Microsoft.Extensions.Time.Testing;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Evaluation;

// An evaluator (its context, caches and frames) is reused by the next evaluation on the same thread, and path
// results are shared: nothing of one evaluation may leak into the next.
public class EvaluatorReuseTests
{
    private static readonly RegoEngine Engine = new();

    private static PreparedQuery Prepare(string module, string query, Value? data = null) =>
        Engine.Prepare(Engine.Compile([new RegoModuleSource("t.rego", module)], data), query);

    [Fact]
    public void AlternatingPoliciesKeepTheirOwnCachedRules()
    {
        const string Module = "package t\nimport rego.v1\nroles contains r if some r in data.roles[input.user]\nallow if \"admin\" in roles";
        var a = Prepare(Module, "data.t.allow", ObjectValue.Create(("roles", ObjectValue.Create(("bob", ArrayValue.Create(StringValue.Create("admin")))))));
        var b = Prepare(Module, "data.t.allow", ObjectValue.Create(("roles", ObjectValue.Create(("bob", ArrayValue.Create(StringValue.Create("viewer")))))));
        var bob = Value.ParseJson("""{"user": "bob"}""");
        for (var i = 0; i < 3; i++)
        {
            Assert.True(a.Evaluate(bob).IsTrue);
            Assert.False(b.Evaluate(bob).IsDefined);
            Assert.False(a.Evaluate(Value.ParseJson("""{"user": "alice"}""")).IsDefined);
        }
    }

    [Fact]
    public void EachEvaluationReadsTheClockAfresh()
    {
        var q = Prepare("package t\nnow := time.now_ns()", "data.t.now");
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddSeconds(1));
        var settings = new EvaluationSettings { TimeProvider = clock };
        Assert.Equal("1000000000", q.Evaluate(null, default, settings).Value!.ToJson());
        clock.SetUtcNow(DateTimeOffset.UnixEpoch.AddSeconds(2));
        Assert.Equal("2000000000", q.Evaluate(null, default, settings).Value!.ToJson());
    }

    [Fact]
    public void EvaluationAfterAFailedOneStartsClean()
    {
        var q = Prepare("package t\nimport rego.v1\np := x if { x := count([1 | some a in numbers.range(1, 1000); some b in numbers.range(1, 1000)]) }", "data.t.p");
        var limited = new EvaluationSettings { Limits = new EvaluationLimits { MaxSteps = 1000 } };
        var e = Assert.Throws<RegoEvaluationException>(() => q.Evaluate(null, default, limited));
        Assert.Equal("evaluation exceeded the step limit (1000)", e.Reason);
        Assert.Equal("1000000", q.Evaluate().Value!.ToJson());
    }

    [Fact]
    public void SharedPathResultsStillReportTheirRow()
    {
        var q = Prepare("package t\nimport rego.v1\ndefault allow := false\nallow if input.ok", "data.t.allow");
        var yes = q.Evaluate(Value.ParseJson("""{"ok": true}"""));
        var no = q.Evaluate(Value.ParseJson("""{"ok": false}"""));
        Assert.True(yes.IsTrue);
        Assert.Equal("true", Assert.Single(yes.Rows)[PreparedQuery.ResultName]!.ToJson());
        Assert.Equal("""{"result":true}""", yes.ToJson());
        Assert.Equal("""{"result":false}""", no.ToJson());
        Assert.Same(yes, q.Evaluate(Value.ParseJson("""{"ok": true}""")));
    }

    [Fact]
    public void UndefinedPathResultHasNoRows()
    {
        var q = Prepare("package t\nimport rego.v1\nallow if input.ok", "data.t.allow");
        var r = q.Evaluate(Value.ParseJson("""{"ok": false}"""));
        Assert.False(r.IsDefined);
        Assert.Empty(r.Rows);
        Assert.Null(r.Value);
        Assert.Equal("{}", r.ToJson());
    }
}
