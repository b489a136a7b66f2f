using System.Numerics;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Numbers;

internal static class BitsBuiltins
{
    // Arbitrary-precision two's-complement semantics, as Go's big.Int And/Or/Xor/Not/Lsh/Rsh.
    internal static void Register(BuiltinRegistry r)
    {
        RegoType[] n2 = [RegoType.Number, RegoType.Number];
        r.Register("bits.and", n2, RegoType.Number, static (_, a) => NumberValue.Create(BuiltinArgs.Integer(a, 0) & BuiltinArgs.Integer(a, 1)));
        r.Register("bits.or", n2, RegoType.Number, static (_, a) => NumberValue.Create(BuiltinArgs.Integer(a, 0) | BuiltinArgs.Integer(a, 1)));
        r.Register("bits.xor", n2, RegoType.Number, static (_, a) => NumberValue.Create(BuiltinArgs.Integer(a, 0) ^ BuiltinArgs.Integer(a, 1)));
        r.Register("bits.negate", [RegoType.Number], RegoType.Number, static (_, a) => NumberValue.Create(-BuiltinArgs.Integer(a, 0) - 1));
        r.Register("bits.lsh", n2, RegoType.Number, static (_, a) => NumberValue.Create(BuiltinArgs.Integer(a, 0) << BitsShiftCount(a)));
        r.Register("bits.rsh", n2, RegoType.Number, static (_, a) => NumberValue.Create(BuiltinArgs.Integer(a, 0) >> BitsShiftCount(a)));
    }

    private static int BitsShiftCount(ReadOnlySpan<Value> a)
    {
        var n = BuiltinArgs.Integer(a, 1);
        if (n.Sign < 0)
        {
            throw BuiltinArgs.OperandError(1, "must be an unsigned integer number but got a negative integer");
        }

        // Shifting by more than a few million bits would only exhaust memory.
        return n <= 1 << 24 ? (int)n : throw BuiltinArgs.OperandError(1, "must be an unsigned integer number no larger than 16777216");
    }
}
