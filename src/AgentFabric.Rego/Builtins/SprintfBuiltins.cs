namespace AgentFabric.Rego;

public static partial class BuiltinCatalog
{
    static partial void RegisterSprintf(BuiltinRegistry r) =>
        r.Register("sprintf", [RegoType.String, RegoType.ArrayOf(RegoType.Any)], RegoType.String, SprintfBuiltin);

    // OPA hands Go's fmt.Sprintf an int when the number fits 64 bits, a *big.Int for larger integers, a float64
    // otherwise, the raw text of strings, and the Rego term text of every other value.
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
        NumberValue n when n.TryGetInt64(out var l) => new SprintfArg(SprintfArgKind.Int, l, default, 0, null),
        NumberValue n when n.TryGetBigInteger(out var big) => new SprintfArg(SprintfArgKind.Big, 0, big, 0, null),
        NumberValue n => new SprintfArg(SprintfArgKind.Float, 0, default, n.ToDouble(), null),
        StringValue s => new SprintfArg(SprintfArgKind.String, 0, default, 0, s.Value),
        _ => new SprintfArg(SprintfArgKind.String, 0, default, 0, v.ToString()),
    };
}
