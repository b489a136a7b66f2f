using AgentFabric.Authorization.Tests.Fixtures;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.Tests.Decisions;

public sealed class EmbeddedPolicyDecisionPointTests : PolicyDecisionPointContract
{
    protected override Task<IPolicyDecisionPoint> CreateAsync() =>
        Task.FromResult<IPolicyDecisionPoint>(new EmbeddedPolicyDecisionPoint(TestPolicies.Activator().Store));

    [Fact]
    public async Task Evaluation_error_is_a_specific_exception()
    {
        var pdp = await CreateAsync();

        var e = await Assert.ThrowsAsync<PolicyEvaluationException>(() =>
            pdp.DecideAsync(DecisionPath.Parse("values/conflict"), Value.ParseJson("""{"conflict":true}""")));

        Assert.Equal("eval_conflict_error", e.Code);
        Assert.StartsWith("pdp: evaluating data.values.conflict: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uses_the_injected_decision_ids_and_clock()
    {
        var ids = 0;
        var pdp = new EmbeddedPolicyDecisionPoint(TestPolicies.Activator().Store, new FixedClock(DateTimeOffset.UnixEpoch), () => $"id-{++ids}");

        var decision = await pdp.DecideAsync(DecisionPath.Parse("values/doubled"), Value.ParseJson("""{"n":2}"""));

        Assert.Equal("id-1", decision.DecisionId);
        Assert.Equal(TimeSpan.Zero, decision.EvaluationTime);
    }
}
