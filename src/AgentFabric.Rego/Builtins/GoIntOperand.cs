using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins;

/// <summary>OPA's <c>IntOperand</c>: an integer operand held in a Go <c>int</c>, which is 64 bits wide (where
/// <see cref="BuiltinArgs.Int32"/> would reject values beyond 32 bits that OPA accepts).</summary>
internal static class GoIntOperand
{
    public static long Read(ReadOnlySpan<Value> args, int index)
    {
        var n = BuiltinArgs.Number(args, index);
        // OPA's IntOperand converts with json.Number.Int64, which reads the literal text: 1.0 is not an int there.
        return n.TryGetGoInt64(out var value)
            ? value
            : throw BuiltinArgs.OperandError(index, "must be integer number but got floating-point number");
    }
}
