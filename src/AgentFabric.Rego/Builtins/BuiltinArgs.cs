using System.Numerics;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins;

/// <summary>Operand checks for builtin implementations. Each throws <see cref="RegoBuiltinException"/> with OPA's exact
/// <c>eval_type_error</c> text, e.g. <c>operand 1 must be string but got number</c>. Indexes are 0-based; messages
/// number operands from 1 as OPA does.</summary>
public static class BuiltinArgs
{
    /// <summary>The string operand at <paramref name="index"/>.</summary>
    public static string String(ReadOnlySpan<Value> args, int index) =>
        args[index] is StringValue s ? s.Value : throw TypeMismatch(index, args[index], "string");

    /// <summary>The number operand at <paramref name="index"/>.</summary>
    public static NumberValue Number(ReadOnlySpan<Value> args, int index) =>
        args[index] as NumberValue ?? throw TypeMismatch(index, args[index], "number");

    /// <summary>The boolean operand at <paramref name="index"/>.</summary>
    public static bool Boolean(ReadOnlySpan<Value> args, int index) =>
        args[index] is BooleanValue b ? b.Value : throw TypeMismatch(index, args[index], "boolean");

    /// <summary>The array operand at <paramref name="index"/>.</summary>
    public static ArrayValue Array(ReadOnlySpan<Value> args, int index) =>
        args[index] as ArrayValue ?? throw TypeMismatch(index, args[index], "array");

    /// <summary>The set operand at <paramref name="index"/>.</summary>
    public static SetValue Set(ReadOnlySpan<Value> args, int index) =>
        args[index] as SetValue ?? throw TypeMismatch(index, args[index], "set");

    /// <summary>The object operand at <paramref name="index"/>.</summary>
    public static ObjectValue Object(ReadOnlySpan<Value> args, int index) =>
        args[index] as ObjectValue ?? throw TypeMismatch(index, args[index], "object");

    /// <summary>An integer operand of any size. A non-number gives <c>must be number but got T</c>; a non-integral
    /// number gives <c>must be integer number but got floating-point number</c> (OPA's wording).</summary>
    public static BigInteger Integer(ReadOnlySpan<Value> args, int index)
    {
        var n = Number(args, index);
        return n.TryGetBigInteger(out var big)
            ? big
            : throw OperandError(index, "must be integer number but got floating-point number");
    }

    /// <summary>An integer operand that fits in an <see cref="int"/> (as OPA's <c>IntOperand</c>); larger integers
    /// give <c>operand N must be integer number but got floating-point number</c> too, as OPA cannot hold them.</summary>
    public static int Int32(ReadOnlySpan<Value> args, int index)
    {
        var n = Number(args, index);
        // OPA converts with json.Number.Int64, which reads the literal text: 1.0 is not an int there.
        return n.TryGetGoInt64(out var i) && i is >= int.MinValue and <= int.MaxValue
            ? (int)i
            : throw OperandError(index, "must be integer number but got floating-point number");
    }

    /// <summary>Checks the operand is one of the given kinds and returns it; the message lists the accepted types
    /// sorted as OPA does: <c>operand 1 must be one of {array, object, set, string} but got number</c>.</summary>
    public static Value OneOf(ReadOnlySpan<Value> args, int index, params ReadOnlySpan<ValueKind> kinds)
    {
        var v = args[index];
        foreach (var k in kinds)
        {
            if (v.Kind == k)
            {
                return v;
            }
        }

        var names = new string[kinds.Length];
        for (var i = 0; i < kinds.Length; i++)
        {
            names[i] = Value.TypeNameOf(kinds[i]);
        }

        return names.Length == 1 ? throw TypeMismatch(index, v, names[0]) : throw TypeMismatch(index, v, names);
    }

    /// <summary>The error <c>operand N must be EXPECTED but got ACTUAL</c> (several expected names give
    /// <c>must be one of {a, b}</c>, sorted).</summary>
    public static RegoBuiltinException TypeMismatch(int index, Value actual, params string[] expected)
    {
        string want;
        if (expected.Length == 1)
        {
            want = expected[0];
        }
        else
        {
            var sorted = (string[])expected.Clone();
            System.Array.Sort(sorted, StringComparer.Ordinal);
            want = "one of {" + string.Join(", ", sorted) + "}";
        }

        return RegoBuiltinException.TypeError($"operand {index + 1} must be {want} but got {actual.TypeName}");
    }

    /// <summary>The error <c>operand N MESSAGE</c>, an <c>eval_type_error</c> as OPA reports operand problems
    /// (e.g. <c>operand 2 must be one of {2, 8, 10, 16}</c>, <c>operand 1 non-string key found in pattern object</c>).</summary>
    public static RegoBuiltinException OperandError(int index, string message) =>
        RegoBuiltinException.TypeError($"operand {index + 1} {message}");
}
