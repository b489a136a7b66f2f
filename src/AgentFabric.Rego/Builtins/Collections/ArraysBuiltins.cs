using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Collections;

internal static class ArraysBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        var anyArray = RegoType.ArrayOf(RegoType.Any);
        r.Register("array.concat", [anyArray, anyArray], anyArray, ArraysFunctions.Concat);
        r.Register("array.slice", [anyArray, RegoType.Number, RegoType.Number], anyArray, ArraysFunctions.Slice);
        r.Register("array.reverse", [anyArray], anyArray, ArraysFunctions.Reverse);
        r.Register("array.flatten", [anyArray], anyArray, ArraysFunctions.Flatten);

        // Deprecated; kept for v0 policies.
        r.Register(
            "cast_array",
            [RegoType.Any],
            anyArray,
            static (_, a) => a[0] switch
            {
                ArrayValue x => x,
                SetValue s => ArrayValue.Create(s.Items),
                _ => throw BuiltinArgs.TypeMismatch(0, a[0], "array", "set"),
            },
            BuiltinFlags.Deprecated);
    }
}

/// <summary>The array family.</summary>
internal static class ArraysFunctions
{
    public static Value Concat(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var left = BuiltinArgs.Array(a, 0);
        var right = BuiltinArgs.Array(a, 1);
        if (right.Count == 0)
        {
            return left;
        }

        if (left.Count == 0)
        {
            return right;
        }

        var items = new Value[left.Count + right.Count];
        left.Items.CopyTo(items);
        right.Items.CopyTo(items.AsSpan(left.Count));
        return ArrayValue.Wrap(items);
    }

    // Indexes are clamped rather than rejected: stop to [0, len], start to [0, stop].
    public static Value Slice(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var array = BuiltinArgs.Array(a, 0);
        var stop = (int)Math.Clamp(GoIntOperand.Read(a, 2), 0, array.Count);
        var start = (int)Math.Clamp(GoIntOperand.Read(a, 1), 0, stop);
        return ArrayValue.Create(array.Items[start..stop]);
    }

    public static Value Reverse(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var items = BuiltinArgs.Array(a, 0).Items.ToArray();
        Array.Reverse(items);
        return ArrayValue.Wrap(items);
    }

    // One level only: nested arrays inside nested arrays stay as they are.
    public static Value Flatten(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var array = BuiltinArgs.Array(a, 0);
        var items = new List<Value>(array.Count);
        foreach (var item in array)
        {
            if (item is ArrayValue inner)
            {
                items.AddRange(inner.Items);
            }
            else
            {
                items.Add(item);
            }
        }

        return ArrayValue.Wrap(items.ToArray());
    }
}
