using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Semver;

internal static class SemverBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        r.Register("semver.is_valid", [RegoType.Any], RegoType.Boolean, static (ctx, a) =>
            BooleanValue.Create(a[0] is StringValue s && SemverVersion.TryParse(s.Value, out var _)));
        r.Register("semver.compare", [RegoType.String, RegoType.String], RegoType.Number, static (_, a) =>
        {
            var x = ParseSemverOperand(a, 0);
            var y = ParseSemverOperand(a, 1);
            return NumberValue.Create(x.CompareTo(y));
        });
    }

    private static SemverVersion ParseSemverOperand(ReadOnlySpan<Value> a, int index)
    {
        var s = BuiltinArgs.String(a, index);
        return SemverVersion.TryParse(s, out var v)
            ? v
            : throw new RegoBuiltinException($"operand {index + 1}: string {GoQuote.Quote(s)} is not a valid SemVer");
    }
}
