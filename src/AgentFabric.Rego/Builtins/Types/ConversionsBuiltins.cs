using System.Globalization;
using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Types;

internal static class ConversionsBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        r.Register("to_number", [RegoType.AnyOf(RegoType.Null, RegoType.Boolean, RegoType.Number, RegoType.String)], RegoType.Number, ConversionsToNumber);

        // Deprecated casts: each accepts only the kinds it can convert and fails otherwise.
        const BuiltinFlags deprecated = BuiltinFlags.Deprecated;
        r.Register("cast_array", [RegoType.Any], RegoType.ArrayOf(RegoType.Any), static (_, a) => a[0] switch
        {
            ArrayValue arr => arr,
            SetValue set => ArrayValue.Create(set.Items),
            _ => throw BuiltinArgs.TypeMismatch(0, a[0], "array", "set"),
        }, deprecated);
        r.Register("cast_set", [RegoType.Any], RegoType.SetOf(RegoType.Any), static (_, a) => a[0] switch
        {
            ArrayValue arr => SetValue.Create(arr.Items),
            SetValue set => set,
            _ => throw BuiltinArgs.TypeMismatch(0, a[0], "array", "set"),
        }, deprecated);
        r.Register("cast_string", [RegoType.Any], RegoType.String, static (_, a) => StringValue.Create(BuiltinArgs.String(a, 0)), deprecated);
        r.Register("cast_boolean", [RegoType.Any], RegoType.Boolean, static (_, a) => BooleanValue.Create(BuiltinArgs.Boolean(a, 0)), deprecated);
        r.Register("cast_null", [RegoType.Any], RegoType.Null, static (_, a) =>
            a[0] is NullValue ? NullValue.Instance : throw BuiltinArgs.TypeMismatch(0, a[0], "null"), deprecated);
        r.Register("cast_object", [RegoType.Any], RegoType.ObjectOf(RegoType.Any, RegoType.Any), static (_, a) => BuiltinArgs.Object(a, 0), deprecated);
    }

    // null is 0, booleans 0/1; strings must be Go float syntax, but NaN and infinities are rejected and the number
    // keeps the string's exact value (big integers stay exact).
    private static Value ConversionsToNumber(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        switch (a[0])
        {
            case NullValue:
                return NumberValue.Zero;
            case BooleanValue b:
                return b.Value ? NumberValue.One : NumberValue.Zero;
            case NumberValue n:
                return n;
            case StringValue s:
                var text = s.Value;
                var bare = text.TrimStart('+', '-').ToLowerInvariant();
                if (bare is "nan" or "inf" or "infinity")
                {
                    throw BuiltinArgs.OperandError(0, $"must be a valid number string but got {GoQuote.Quote(text)}");
                }

                if (!DecimalFloatSyntax.IsMatch(text) || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    throw new RegoBuiltinException($"strconv.ParseFloat: parsing {GoQuote.Quote(text)}: invalid syntax");
                }

                if (!double.IsFinite(d))
                {
                    throw new RegoBuiltinException($"strconv.ParseFloat: parsing {GoQuote.Quote(text)}: value out of range");
                }

                return NumberValue.TryParseLiteral(text.StartsWith('+') ? text[1..] : text, out var exact) ? exact : NumberValue.Create(d);
            default:
                throw BuiltinArgs.TypeMismatch(0, a[0], "null", "boolean", "number", "string");
        }
    }
}
