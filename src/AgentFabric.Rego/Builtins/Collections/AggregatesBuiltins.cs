using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Collections;

internal static class AggregatesBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        var collection = RegoType.AnyOf(RegoType.ArrayOf(RegoType.Any), RegoType.SetOf(RegoType.Any));
        var numbers = RegoType.AnyOf(RegoType.ArrayOf(RegoType.Number), RegoType.SetOf(RegoType.Number));
        var countable = RegoType.AnyOf(
            RegoType.String,
            RegoType.ArrayOf(RegoType.Any),
            RegoType.ObjectOf(RegoType.Any, RegoType.Any),
            RegoType.SetOf(RegoType.Any));

        r.Register("count", [countable], RegoType.Number, AggregatesFunctions.Count);
        r.Register("sum", [numbers], RegoType.Number, static (_, a) => AggregatesFunctions.Fold(a[0], NumberValue.Zero, NumberValue.Add));
        r.Register("product", [numbers], RegoType.Number, static (_, a) => AggregatesFunctions.Fold(a[0], NumberValue.One, NumberValue.Multiply));
        r.Register("max", [collection], RegoType.Any, static (_, a) => AggregatesFunctions.Extreme(a[0], wantMax: true));
        r.Register("min", [collection], RegoType.Any, static (_, a) => AggregatesFunctions.Extreme(a[0], wantMax: false));
        r.Register("sort", [collection], RegoType.ArrayOf(RegoType.Any), AggregatesFunctions.Sort);
        r.Register("all", [collection], RegoType.Boolean, static (_, a) => AggregatesFunctions.AllOrAny(a[0], all: true), BuiltinFlags.Deprecated);
        r.Register("any", [collection], RegoType.Boolean, static (_, a) => AggregatesFunctions.AllOrAny(a[0], all: false), BuiltinFlags.Deprecated);
    }
}

/// <summary>The aggregates family: count, sum, product, max, min, sort and the deprecated all/any.</summary>
internal static class AggregatesFunctions
{
    public static Value Count(BuiltinContext context, ReadOnlySpan<Value> a) => a[0] switch
    {
        ArrayValue x => NumberValue.Create(x.Count),
        ObjectValue x => NumberValue.Create(x.Count),
        SetValue x => NumberValue.Create(x.Count),

        // Go counts runes (code points), not UTF-16 units.
        StringValue s => NumberValue.Create(CountRunes(s.Value)),
        _ => throw BuiltinArgs.TypeMismatch(0, a[0], "array", "object", "set", "string"),
    };

    /// <summary>sum and product: exact over integers of any size, floating point once a fraction appears.</summary>
    public static Value Fold(Value operand, NumberValue seed, Func<NumberValue, NumberValue, NumberValue> op)
    {
        if (!TryItems(operand, out var items))
        {
            throw CollectionOperandErrors.OneOfInOrder(0, operand, "set", "array");
        }

        var acc = seed;
        foreach (var item in items)
        {
            if (item is not NumberValue n)
            {
                throw CollectionOperandErrors.Element(0, operand, item, "number");
            }

            acc = op(acc, n);
        }

        return acc;
    }

    public static Value? Extreme(Value operand, bool wantMax)
    {
        if (!TryItems(operand, out var items))
        {
            throw CollectionOperandErrors.OneOfInOrder(0, operand, "set", "array");
        }

        if (items.Length == 0)
        {
            return null;
        }

        var best = items[0];
        foreach (var item in items[1..])
        {
            var c = ValueComparer.Compare(item, best);
            if (wantMax ? c > 0 : c < 0)
            {
                best = item;
            }
        }

        return best;
    }

    public static Value Sort(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        switch (a[0])
        {
            case SetValue s:
                // Sets are kept sorted already.
                return ArrayValue.Create(s.Items);
            case ArrayValue x:
                var items = x.Items.ToArray();
                items.AsSpan().Sort(ValueComparer.Ordering);
                return ArrayValue.Wrap(items);
            default:
                throw CollectionOperandErrors.OneOfInOrder(0, a[0], "set", "array");
        }
    }

    // all: every element is true (vacuously true when empty); any: some element is true.
    public static Value AllOrAny(Value operand, bool all)
    {
        if (!TryItems(operand, out var items))
        {
            throw CollectionOperandErrors.OneOfInOrder(0, operand, "array", "set");
        }

        foreach (var item in items)
        {
            var isTrue = item is BooleanValue { Value: true };
            if (all && !isTrue)
            {
                return BooleanValue.False;
            }

            if (!all && isTrue)
            {
                return BooleanValue.True;
            }
        }

        return BooleanValue.Create(all);
    }

    internal static int CountRunes(string s)
    {
        var count = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }

            count++;
        }

        return count;
    }

    private static bool TryItems(Value operand, out ReadOnlySpan<Value> items)
    {
        switch (operand)
        {
            case ArrayValue x:
                items = x.Items;
                return true;
            case SetValue s:
                items = s.Items;
                return true;
            default:
                items = default;
                return false;
        }
    }
}
