using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Conformance;

/// <summary>The builtins OPA's own test harness adds for its conformance cases (they are not in capabilities.json,
/// so the product registry does not have them).</summary>
internal static class HarnessBuiltins
{
    /// <summary>The default registry plus <c>test.sleep(duration)</c>, which the "time caching" cases use to show that
    /// <c>time.now_ns</c> stays fixed within one evaluation.</summary>
    public static BuiltinRegistry Create()
    {
        var r = BuiltinCatalog.CreateDefault();
        r.Register("test.sleep", [RegoType.String], RegoType.Null, static (ctx, a) =>
        {
            var ns = GoDuration.Parse(BuiltinArgs.String(a, 0));
            Task.Delay(TimeSpan.FromTicks(ns / 100), ctx.CancellationToken).GetAwaiter().GetResult();
            return NullValue.Instance;
        }, BuiltinFlags.Nondeterministic);
        return r;
    }
}
