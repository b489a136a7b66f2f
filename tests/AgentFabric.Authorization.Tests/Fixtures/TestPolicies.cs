using AgentFabric.Authorization.Bundles;
using AgentFabric.Rego;

namespace AgentFabric.Authorization.Tests.Fixtures;

/// <summary>The policies the decision tests run: the AgentFabric library (with seed 004's example) and a small bundle
/// of rules with non-boolean values.</summary>
internal static class TestPolicies
{
    public const string Values = """
        package values

        object_result := {"allowed": input.ok, "headers": {"x-reason": "test"}}

        doubled := input.n * 2

        undefined_rule if false

        conflict := 1 if input.conflict

        conflict := 2 if input.conflict
        """;

    public static BundleActivator Activator()
    {
        var activator = new BundleActivator(new RegoEngine());
        Assert.True(activator.Activate(AgentFabricPolicyLibrary.Load()).Succeeded);
        var files = new BundleFiles();
        files.Add("/.manifest", """{"revision": "v7", "roots": ["values"]}"""u8.ToArray());
        files.Add("/values/values.rego", System.Text.Encoding.UTF8.GetBytes(Values));
        Assert.True(activator.Activate(PolicyBundle.Load("values", files)).Succeeded);
        return activator;
    }
}
