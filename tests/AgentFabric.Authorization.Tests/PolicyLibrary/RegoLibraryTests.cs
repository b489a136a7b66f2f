using AgentFabric.Authorization.Bundles;
using AgentFabric.Rego;

namespace AgentFabric.Authorization.Tests.PolicyLibrary;

/// <summary>Runs the Rego library's <c>_test.rego</c> suites through the engine, as <c>agentfabric policy test</c> does:
/// every <c>test_</c> rule must be true.</summary>
public sealed class RegoLibraryTests
{
    private static readonly string BundleDirectory = Path.Combine(AppContext.BaseDirectory, "PolicyLibrary");

    private static readonly Lazy<(RegoEngine Engine, CompiledPolicy Policy)> Compiled = new(() =>
    {
        var bundle = PolicyBundle.LoadPath("agentfabric", BundleDirectory);
        var engine = new RegoEngine();
        return (engine, engine.Compile(bundle.Modules, bundle.Data));
    });

    public static TheoryData<string> Tests() => new(TestNames());

    private static IEnumerable<string> TestNames() =>
        from module in Compiled.Value.Policy.Modules
        from name in module.Rules.Select(r => r.Name).Where(n => n.StartsWith("test_", StringComparison.Ordinal)).Distinct()
        select $"data.{string.Join('.', module.Package)}.{name}";

    [Theory]
    [MemberData(nameof(Tests))]
    public void Rego_test_passes(string test)
    {
        var (engine, policy) = Compiled.Value;

        Assert.True(engine.Prepare(policy, test).Evaluate().IsTrue, test);
    }

    [Fact]
    public void Every_library_package_has_tests()
    {
        var packages = TestNames().Select(t => t[..t.LastIndexOf('.')]).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(
            ["data.agentfabric.examples.research_test", "data.agentfabric.lib.delegation_test", "data.agentfabric.lib.scopes_test", "data.agentfabric.lib.spiffe_test", "data.agentfabric.lib.windows_test"],
            packages);
    }
}
