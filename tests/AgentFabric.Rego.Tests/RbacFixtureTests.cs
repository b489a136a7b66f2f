using System.Diagnostics;
using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;
using AgentFabric.Testing;
using Xunit.Abstractions;

namespace AgentFabric.Rego.Tests;

/// <summary>Runs the shared RBAC benchmark fixture (read from a <c>shared/bench/rego-rbac</c> folder beside the
/// repository or one of its parents; the data is never copied into the repository).</summary>
public class RbacFixtureTests(ITestOutputHelper output)
{
    private static string? FixtureDir() => Path.GetDirectoryName(SharedReference.Find("bench/rego-rbac/rbac.rego"));

    [Fact]
    public void RbacDecisionsMatchOpa()
    {
        var dir = FixtureDir();
        if (dir is null)
        {
            output.WriteLine("SKIPPED: shared/bench/rego-rbac is not present beside the repository");
            return;
        }

        var engine = new RegoEngine();
        if (!engine.Options.Builtins?.TryGet("sprintf", out _) ?? !BuiltinCatalog.CreateDefault().TryGet("sprintf", out _))
        {
            output.WriteLine("SKIPPED: the fixture needs sprintf, which the strings family provides");
            return;
        }

        var policy = engine.Compile(
            [new RegoModuleSource("rbac.rego", File.ReadAllText(Path.Combine(dir, "rbac.rego")))],
            Value.ParseJson(File.ReadAllText(Path.Combine(dir, "data.json"))));
        var query = engine.Prepare(policy, "data.app.rbac.allow");
        var allowInput = Value.ParseJson(File.ReadAllText(Path.Combine(dir, "input.json")));
        var denyInput = Value.ParseJson(File.ReadAllText(Path.Combine(dir, "input_deny.json")));
        Assert.True(query.Evaluate(allowInput).IsTrue);
        Assert.Equal(BooleanValue.False, query.Evaluate(denyInput).Value);

        for (var i = 0; i < 20_000; i++)
        {
            query.Evaluate(allowInput);
        }

        const int n = 100_000;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            query.Evaluate(allowInput);
        }

        output.WriteLine($"RBAC allow decision: {sw.Elapsed.TotalMicroseconds / n:F2} µs per evaluation");
    }
}
