using AgentFabric.Authorization.Tests.Fixtures;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.Tests.Decisions;

/// <summary>The remote PDP against the Data API fixture, which answers with the embedded PDP.</summary>
public sealed class RemotePolicyDecisionPointTests : PolicyDecisionPointContract, IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private LoopbackServer? _server;

    public async Task InitializeAsync() =>
        _server = await OpaDataApiServer.StartAsync(new EmbeddedPolicyDecisionPoint(TestPolicies.Activator().Store));

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    protected override Task<IPolicyDecisionPoint> CreateAsync() =>
        Task.FromResult<IPolicyDecisionPoint>(new RemotePolicyDecisionPoint(Http, _server!.BaseAddress, TimeSpan.FromSeconds(10)));

    [Fact]
    public async Task Evaluation_error_maps_to_the_opa_error()
    {
        var pdp = await CreateAsync();

        var e = await Assert.ThrowsAsync<RemotePolicyDecisionException>(() =>
            pdp.DecideAsync(DecisionPath.Parse("values/conflict"), Rego.Values.Value.ParseJson("""{"conflict":true}""")));

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.Equal("internal_error", e.Code);
        Assert.Equal("error(s) occurred while evaluating query", e.Reason);
        Assert.Single(e.Errors);
        Assert.StartsWith("eval_conflict_error: ", e.Errors[0], StringComparison.Ordinal);
    }
}
