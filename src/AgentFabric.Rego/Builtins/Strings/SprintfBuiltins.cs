using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Strings;

internal static class SprintfBuiltins
{
    internal static void Register(BuiltinRegistry r) =>
        r.Register("sprintf", [RegoType.String, RegoType.ArrayOf(RegoType.Any)], RegoType.String, SprintfBuiltin);

    // OPA hands Go's fmt.Sprintf an int when the number's text is an integer that fits 64 bits, a *big.Int for
    // other integer text, a float64 when the text parses as one, else the number's text ("2e308"); the raw text of
    // strings, and the Rego term text of every other value. The conversions work on the literal text, so 1e3 is a
    // float64 there (printed 1000 by %v) and 2e308 prints as written.
    private static Value SprintfBuiltin(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var format = BuiltinArgs.String(a, 0);
        var operands = BuiltinArgs.Array(a, 1);
        var args = new SprintfArg[operands.Count];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = ToSprintfArg(operands[i]);
        }

        return StringValue.Create(SprintfFormatter.Format(format, args));
    }

    internal static SprintfArg ToSprintfArg(Value v) => v switch
    {
        NumberValue n when n.TryGetGoInt64(out var l) => new SprintfArg(SprintfArgKind.Int, l, default, 0, null),
        NumberValue n when n.TryGetGoBigInteger(out var big) => new SprintfArg(SprintfArgKind.Big, 0, big, 0, null),
        NumberValue n when n.TryGetGoFloat64(out var d) => new SprintfArg(SprintfArgKind.Float, 0, default, d, null),
        NumberValue n => new SprintfArg(SprintfArgKind.String, 0, default, 0, n.Text),
        StringValue s => new SprintfArg(SprintfArgKind.String, 0, default, 0, s.Value),
        _ => new SprintfArg(SprintfArgKind.String, 0, default, 0, v.ToString()),
    };
}
