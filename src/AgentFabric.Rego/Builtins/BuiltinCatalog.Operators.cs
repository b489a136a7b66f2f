using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins;

public static partial class BuiltinCatalog
{
    // Named so the evaluator can recognise them (and compare directly, without a call) when a policy uses the
    // catalog's own implementations.
    internal static readonly BuiltinFunction EqualFunction = static (_, a) => BooleanValue.Create(a[0].Equals(a[1]));
    internal static readonly BuiltinFunction NotEqualFunction = static (_, a) => BooleanValue.Create(!a[0].Equals(a[1]));

    private static void RegisterOperators(BuiltinRegistry r)
    {
        RegoType[] anyAny = [RegoType.Any, RegoType.Any];
        r.Register("equal", anyAny, RegoType.Boolean, EqualFunction);
        r.Register("neq", anyAny, RegoType.Boolean, NotEqualFunction);
        r.Register("lt", anyAny, RegoType.Boolean, static (_, a) => BooleanValue.Create(ValueComparer.Compare(a[0], a[1]) < 0));
        r.Register("gt", anyAny, RegoType.Boolean, static (_, a) => BooleanValue.Create(ValueComparer.Compare(a[0], a[1]) > 0));
        r.Register("lte", anyAny, RegoType.Boolean, static (_, a) => BooleanValue.Create(ValueComparer.Compare(a[0], a[1]) <= 0));
        r.Register("gte", anyAny, RegoType.Boolean, static (_, a) => BooleanValue.Create(ValueComparer.Compare(a[0], a[1]) >= 0));

        RegoType[] numNum = [RegoType.Number, RegoType.Number];
        r.Register("plus", numNum, RegoType.Number,
            static (_, a) => NumberValue.Add(BuiltinArgs.Number(a, 0), BuiltinArgs.Number(a, 1)));
        r.Register("mul", numNum, RegoType.Number,
            static (_, a) => NumberValue.Multiply(BuiltinArgs.Number(a, 0), BuiltinArgs.Number(a, 1)));
        r.Register("div", numNum, RegoType.Number, Divide);
        r.Register("rem", numNum, RegoType.Number, Remainder);

        var numberOrSet = RegoType.AnyOf(RegoType.Number, RegoType.SetOf(RegoType.Any));
        r.Register("minus", [numberOrSet, numberOrSet], numberOrSet, Minus);

        var anySet = RegoType.SetOf(RegoType.Any);
        r.Register("and", [anySet, anySet], anySet, static (_, a) => BuiltinArgs.Set(a, 0).Intersect(BuiltinArgs.Set(a, 1)));
        r.Register("or", [anySet, anySet], anySet, static (_, a) => BuiltinArgs.Set(a, 0).Union(BuiltinArgs.Set(a, 1)));
    }

    private static Value Divide(BuiltinContext context, ReadOnlySpan<Value> a) =>
        NumberValue.Divide(BuiltinArgs.Number(a, 0), BuiltinArgs.Number(a, 1)) ?? throw new RegoBuiltinException("divide by zero");

    private static Value Remainder(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var x = BuiltinArgs.Number(a, 0);
        var y = BuiltinArgs.Number(a, 1);
        if (!x.IsInteger || !y.IsInteger)
        {
            throw new RegoBuiltinException("modulo on floating-point number");
        }

        return NumberValue.Remainder(x, y) ?? throw new RegoBuiltinException("modulo by zero");
    }

    // OPA decides the expected type of operand 2 from operand 1: number - number or set - set.
    private static Value Minus(BuiltinContext context, ReadOnlySpan<Value> a) => a[0] switch
    {
        NumberValue x => NumberValue.Subtract(x, BuiltinArgs.Number(a, 1)),
        SetValue s => s.Except(BuiltinArgs.Set(a, 1)),
        _ => throw BuiltinArgs.TypeMismatch(0, a[0], "number", "set"),
    };

    // Named so the evaluator can recognise it (see EqualFunction).
    internal static readonly BuiltinFunction Member2Function = static (_, a) => BooleanValue.Create(Member2(a[0], a[1]));

    internal static bool Member2(Value item, Value collection) => collection switch
    {
        ArrayValue a when a.Count >= Evaluation.ArrayFilterIndex.MinLength && Evaluation.ArrayFilterIndex.For(a, Evaluation.ArrayFilterIndex.Elements) is { } index =>
            !index.Find(new ReadOnlySpan<Value?>(ref item!)).IsEmpty,
        ArrayValue a => item is StringValue text ? ContainsString(a.Items, text) : a.Items.Contains(item),
        SetValue s => s.Contains(item),
        ObjectValue o => item is StringValue text ? ContainsString(o.Values, text) : o.Values.Contains(item),
        _ => false,
    };

    // `"x" in list`, the usual case of a scan: string comparisons without a virtual Equals per element (a string
    // equals only a string).
    private static bool ContainsString(ReadOnlySpan<Value> items, StringValue item)
    {
        var text = item.Value;
        foreach (var e in items)
        {
            if (ReferenceEquals(e, item) || (e is StringValue s && string.Equals(s.Value, text)))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool Member3(Value key, Value item, Value collection) => collection switch
    {
        ArrayValue a => key is NumberValue n && n.TryGetInt32(out var i) && i >= 0 && i < a.Count && a[i].Equals(item),
        ObjectValue o => o.TryGetValue(key, out var v) && v.Equals(item),
        SetValue s => key.Equals(item) && s.Contains(item),
        _ => false,
    };
}
