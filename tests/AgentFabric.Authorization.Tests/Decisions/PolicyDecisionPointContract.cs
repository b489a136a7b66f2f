using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.Tests.Decisions;

/// <summary>The behaviour every PDP shares, run against each implementation (embedded, remote).</summary>
public abstract class PolicyDecisionPointContract
{
    protected abstract Task<IPolicyDecisionPoint> CreateAsync();

    [Theory]
    [MemberData(nameof(DecisionTable.Rows), MemberType = typeof(DecisionTable))]
    public async Task Answers_the_decision_table(string path, string input, string? expected)
    {
        var pdp = await CreateAsync();

        var decision = await pdp.DecideAsync(DecisionPath.Parse(path), Value.ParseJson(input));

        Assert.Equal(expected, decision.Result?.ToJson());
        Assert.Equal(expected is not null, decision.IsDefined);
        Assert.Equal(path, decision.Path.ToString());
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", decision.DecisionId);
        Assert.True(decision.EvaluationTime >= TimeSpan.Zero);
    }

    [Fact]
    public async Task Allows_only_on_true()
    {
        var pdp = await CreateAsync();

        var allowed = await pdp.DecideAsync(DecisionPath.Parse("values/object_result"), Value.ParseJson("""{"ok":true}"""));
        var denied = await pdp.DecideAsync(DecisionPath.Parse("values/object_result"), Value.ParseJson("""{"ok":"yes"}"""));
        var undefined = await pdp.DecideAsync(DecisionPath.Parse("values/undefined_rule"), ObjectValue.Empty);

        Assert.True(allowed.IsAllowed);
        Assert.False(denied.IsAllowed);
        Assert.False(undefined.IsAllowed);
    }

    [Fact]
    public async Task Each_decision_has_its_own_id()
    {
        var pdp = await CreateAsync();
        var path = DecisionPath.Parse("values/doubled");

        var first = await pdp.DecideAsync(path, Value.ParseJson("""{"n":1}"""));
        var second = await pdp.DecideAsync(path, Value.ParseJson("""{"n":1}"""));

        Assert.NotEqual(first.DecisionId, second.DecisionId);
    }
}
