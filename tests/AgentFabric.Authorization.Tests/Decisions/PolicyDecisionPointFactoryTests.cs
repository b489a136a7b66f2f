using AgentFabric.Authorization.Bundles;
using AgentFabric.Rego.Values;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFabric.Authorization.Tests.Decisions;

public sealed class PolicyDecisionPointFactoryTests
{
    [Fact]
    public void Embedded_by_default_through_di()
    {
        using var services = new ServiceCollection().AddPolicyDecisionPoint(_ => { }).BuildServiceProvider();

        var pdp = services.GetRequiredService<IPolicyDecisionPoint>();

        Assert.IsType<EmbeddedPolicyDecisionPoint>(pdp);
        Assert.NotNull(services.GetRequiredService<BundleActivator>());
    }

    [Fact]
    public async Task Embedded_decides_with_the_activator_store()
    {
        using var services = new ServiceCollection().AddPolicyDecisionPoint(_ => { }).BuildServiceProvider();
        services.GetRequiredService<BundleActivator>().Activate(AgentFabricPolicyLibrary.Load());

        var decision = await services.GetRequiredService<IPolicyDecisionPoint>().DecideAsync(
            DecisionPath.Parse("agentfabric/examples/research/allow"),
            Rego.Values.Value.ParseJson("""{"caller":{"spiffe_id":"spiffe://example.org/ns/ui/sa/frontend"},"delegation":[],"resource":{"type":"agent","id":"spiffe://example.org/ns/agents/sa/researcher"}}"""));

        Assert.True(decision.IsAllowed);
    }

    [Fact]
    public void Remote_by_configuration()
    {
        using var services = new ServiceCollection()
            .AddPolicyDecisionPoint(o => { o.Mode = PolicyDecisionPointMode.Remote; o.RemoteAddress = new Uri("http://127.0.0.1:8181"); })
            .BuildServiceProvider();

        Assert.IsType<RemotePolicyDecisionPoint>(services.GetRequiredService<IPolicyDecisionPoint>());
        Assert.Null(services.GetService<BundleActivator>());
    }

    [Theory]
    [InlineData(null, 2000, "pdp options: remote mode needs RemoteAddress")]
    [InlineData("/relative", 2000, "pdp options: RemoteAddress '/relative' is not an absolute http(s) URI")]
    [InlineData("ftp://example.org/", 2000, "pdp options: RemoteAddress 'ftp://example.org/' is not an absolute http(s) URI")]
    [InlineData("http://example.org/", 0, "pdp options: RemoteTimeout must be positive, not 00:00:00")]
    public void Bad_options_are_refused_at_registration(string? address, int timeoutMs, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddPolicyDecisionPoint(o =>
        {
            o.Mode = PolicyDecisionPointMode.Remote;
            o.RemoteAddress = address is null ? null : new Uri(address, UriKind.RelativeOrAbsolute);
            o.RemoteTimeout = TimeSpan.FromMilliseconds(timeoutMs);
        }));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Factory_needs_a_store_for_embedded() =>
        Assert.StartsWith("pdp: embedded mode needs a policy store", Assert.Throws<ArgumentException>(() =>
            PolicyDecisionPointFactory.Create(new PolicyDecisionPointOptions(), null, null)).Message, StringComparison.Ordinal);
}
