using AgentFabric.Authorization.Bundles;
using AgentFabric.Authorization.Tests.Fixtures;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.Tests.Bundles;

public sealed class BundleActivatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    private static PolicyBundle Bundle(string name, string revision, string root, string rego) => PolicyBundle.Load(name, BundleBuilder.Files(
        ("/.manifest", $$"""{"revision":"{{revision}}","roots":["{{root}}"]}"""),
        ($"/{root}/policy.rego", rego)));

    private static Value? Eval(BundleActivator a, string query) => a.Store.Evaluate(query, ObjectValue.Empty).Value;

    [Fact]
    public void Starts_empty()
    {
        var activator = new BundleActivator(new RegoEngine());

        Assert.Null(Eval(activator, "data.a.x"));
        Assert.Empty(activator.Revisions);
        Assert.False(activator.AreActive(["a"]));
    }

    [Fact]
    public void Activates_and_reports_revision()
    {
        var activator = new BundleActivator(new RegoEngine(), new FixedClock(Now));
        var events = new List<BundleActivationEvent>();
        activator.Activation += (_, e) => events.Add(e);

        var result = activator.Activate(Bundle("a", "r1", "a", "package a\n\nx := 1\n"));

        Assert.True(result.Succeeded);
        Assert.Equal(new BundleActivationEvent("a", "r1", Now, null), Assert.Single(events));
        Assert.Equal("1", Eval(activator, "data.a.x")!.ToJson());
        Assert.Equal(new Dictionary<string, string> { ["a"] = "r1" }, activator.Revisions);
        Assert.True(activator.AreActive(["a"]));
    }

    [Fact]
    public void Compile_error_keeps_the_last_good_bundle()
    {
        var activator = new BundleActivator(new RegoEngine());
        activator.Activate(Bundle("a", "r1", "a", "package a\n\nx := 1\n"));

        var result = activator.Activate(Bundle("a", "r2", "a", "package a\n\nx := y\n"));

        Assert.False(result.Succeeded);
        Assert.Equal(BundleErrorReason.CompileError, result.Reason);
        Assert.Equal("r2", result.Revision);
        Assert.Contains("rego_unsafe_var_error: var y is unsafe", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("1", Eval(activator, "data.a.x")!.ToJson());
        Assert.Equal("r1", activator.Revisions["a"]);
        Assert.Same(result, activator.Status["a"]);
    }

    [Fact]
    public void Replacing_a_bundle_swaps_it_whole()
    {
        var activator = new BundleActivator(new RegoEngine());
        activator.Activate(Bundle("a", "r1", "a", "package a\n\nx := 1\n\ny := 2\n"));

        activator.Activate(Bundle("a", "r2", "a", "package a\n\nx := 3\n"));

        Assert.Equal("3", Eval(activator, "data.a.x")!.ToJson());
        Assert.Null(Eval(activator, "data.a.y"));
    }

    [Fact]
    public void Bundles_with_disjoint_roots_serve_together()
    {
        var activator = new BundleActivator(new RegoEngine());
        activator.Activate(Bundle("a", "r1", "a", "package a\n\nx := 1\n"));

        Assert.True(activator.Activate(Bundle("b", "q1", "b", "package b\n\nx := data.a.x + 1\n")).Succeeded);

        Assert.Equal("2", Eval(activator, "data.b.x")!.ToJson());
        Assert.Equal(new Dictionary<string, string> { ["a"] = "r1", ["b"] = "q1" }, activator.Revisions);
    }

    [Fact]
    public void Overlapping_roots_of_two_bundles_are_refused()
    {
        var activator = new BundleActivator(new RegoEngine());
        activator.Activate(Bundle("a", "r1", "a", "package a\n\nx := 1\n"));

        var result = activator.Activate(PolicyBundle.Load("b", BundleBuilder.Files(("/.manifest", """{"roots":["a/sub"]}"""))));

        Assert.Equal(BundleErrorReason.RootOverlap, result.Reason);
        Assert.Equal("bundle b: root 'a/sub' overlaps root 'a' of active bundle a", result.Error!.Message);
        Assert.False(activator.AreActive(["b"]));
    }

    [Fact]
    public void Load_failure_is_recorded_as_a_refusal()
    {
        var activator = new BundleActivator(new RegoEngine(), new FixedClock(Now));
        activator.Activate(Bundle("a", "r1", "a", "package a\n\nx := 1\n"));

        var result = activator.Activate("a", () => PolicyBundle.Load("a", BundleBuilder.Files(("/a/p.rego", "package a\n\nx := {"))));

        Assert.Equal(BundleErrorReason.ParseError, result.Reason);
        Assert.Null(result.Revision);
        Assert.Equal(Now, result.Timestamp);
        Assert.Equal("1", Eval(activator, "data.a.x")!.ToJson());
    }

    [Fact]
    public async Task Evaluations_in_flight_never_see_a_half_activated_bundle()
    {
        var activator = new BundleActivator(new RegoEngine());
        activator.Activate(Bundle("a", "r0", "a", "package a\n\nx := 0\n\ny := 0\n"));
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var reader = Task.Run(() =>
        {
            var checks = 0;
            while (!stop.IsCancellationRequested)
            {
                var pair = activator.Store.Evaluate("z := [data.a.x, data.a.y]", ObjectValue.Empty).Rows[0]["z"]!.ToJson();
                var parts = pair.Trim('[', ']').Split(',');
                Assert.Equal(parts[0], parts[1]);
                checks++;
                started.TrySetResult();
            }

            return checks;
        });

        await started.Task;
        for (var i = 1; i <= 20; i++)
        {
            activator.Activate(Bundle("a", $"r{i}", "a", $"package a\n\nx := {i}\n\ny := {i}\n"));
        }

        await stop.CancelAsync();
        Assert.True(await reader > 0);
    }
}
