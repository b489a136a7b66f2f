using System.Numerics;
using System.Text;
using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Strings;

internal static class StringsBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        RegoType[] s1 = [RegoType.String];
        RegoType[] s2 = [RegoType.String, RegoType.String];
        RegoType[] s3 = [RegoType.String, RegoType.String, RegoType.String];
        var stringArray = RegoType.ArrayOf(RegoType.String);
        var stringSet = RegoType.SetOf(RegoType.String);

        r.Register("concat", [RegoType.String, RegoType.AnyOf(stringArray, stringSet)], RegoType.String, StringsConcat);
        r.Register("contains", s2, RegoType.Boolean, static (_, a) =>
            BooleanValue.Create(BuiltinArgs.String(a, 0).Contains(BuiltinArgs.String(a, 1), StringComparison.Ordinal)));
        r.Register("startswith", s2, RegoType.Boolean, static (_, a) =>
            BooleanValue.Create(BuiltinArgs.String(a, 0).StartsWith(BuiltinArgs.String(a, 1), StringComparison.Ordinal)));
        r.Register("endswith", s2, RegoType.Boolean, static (_, a) =>
            BooleanValue.Create(BuiltinArgs.String(a, 0).EndsWith(BuiltinArgs.String(a, 1), StringComparison.Ordinal)));
        r.Register("format_int", [RegoType.Number, RegoType.Number], RegoType.String, StringsFormatInt);
        r.Register("indexof", s2, RegoType.Number, StringsIndexOf);
        r.Register("indexof_n", s2, RegoType.ArrayOf(RegoType.Number), StringsIndexOfN);
        r.Register("lower", s1, RegoType.String, static (_, a) => StringValue.Create(StringsText.Lower(BuiltinArgs.String(a, 0))));
        r.Register("upper", s1, RegoType.String, static (_, a) => StringValue.Create(StringsText.Upper(BuiltinArgs.String(a, 0))));
        r.Register("replace", s3, RegoType.String, static (_, a) =>
            StringValue.Create(StringsText.ReplaceAll(BuiltinArgs.String(a, 0), BuiltinArgs.String(a, 1), BuiltinArgs.String(a, 2))));
        r.Register("strings.replace_n", [RegoType.ObjectOf(RegoType.String, RegoType.String), RegoType.String], RegoType.String, StringsReplaceN);
        r.Register("split", s2, stringArray, static (_, a) =>
            StringsToArray(StringsText.Split(BuiltinArgs.String(a, 0), BuiltinArgs.String(a, 1))));
        r.Register("strings.split_n", [RegoType.String, RegoType.String, RegoType.Number], stringArray, StringsSplitN);
        r.Register("substring", [RegoType.String, RegoType.Number, RegoType.Number], RegoType.String, StringsSubstring);
        r.Register("trim", s2, RegoType.String, static (_, a) =>
            StringValue.Create(StringsText.TrimRight(StringsText.TrimLeft(BuiltinArgs.String(a, 0), BuiltinArgs.String(a, 1)), BuiltinArgs.String(a, 1))));
        r.Register("trim_left", s2, RegoType.String, static (_, a) =>
            StringValue.Create(StringsText.TrimLeft(BuiltinArgs.String(a, 0), BuiltinArgs.String(a, 1))));
        r.Register("trim_right", s2, RegoType.String, static (_, a) =>
            StringValue.Create(StringsText.TrimRight(BuiltinArgs.String(a, 0), BuiltinArgs.String(a, 1))));
        r.Register("trim_prefix", s2, RegoType.String, static (_, a) =>
        {
            var s = BuiltinArgs.String(a, 0);
            var p = BuiltinArgs.String(a, 1);
            return StringValue.Create(s.StartsWith(p, StringComparison.Ordinal) ? s[p.Length..] : s);
        });
        r.Register("trim_suffix", s2, RegoType.String, static (_, a) =>
        {
            var s = BuiltinArgs.String(a, 0);
            var p = BuiltinArgs.String(a, 1);
            return StringValue.Create(s.EndsWith(p, StringComparison.Ordinal) ? s[..^p.Length] : s);
        });
        r.Register("trim_space", s1, RegoType.String, static (_, a) => StringValue.Create(StringsText.TrimSpace(BuiltinArgs.String(a, 0))));
        r.Register("strings.reverse", s1, RegoType.String, static (_, a) => StringValue.Create(StringsText.Reverse(BuiltinArgs.String(a, 0))));
        r.Register("strings.count", s2, RegoType.Number, static (_, a) =>
            NumberValue.Create(StringsText.Count(BuiltinArgs.String(a, 0), BuiltinArgs.String(a, 1))));

        var stringsLike = RegoType.AnyOf(RegoType.String, stringArray, stringSet);
        r.Register("strings.any_prefix_match", [stringsLike, stringsLike], RegoType.Boolean, static (_, a) =>
            StringsAnyMatch(a, static (s, p) => s.StartsWith(p, StringComparison.Ordinal)));
        r.Register("strings.any_suffix_match", [stringsLike, stringsLike], RegoType.Boolean, static (_, a) =>
            StringsAnyMatch(a, static (s, p) => s.EndsWith(p, StringComparison.Ordinal)));
    }

    internal static ArrayValue StringsToArray(List<string> parts)
    {
        var items = new Value[parts.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = StringValue.Create(parts[i]);
        }

        return ArrayValue.Create(items);
    }

    private static Value StringsConcat(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var delimiter = BuiltinArgs.String(a, 0);
        var items = a[1] switch
        {
            ArrayValue arr => arr.Items,
            SetValue set => set.Items,
            _ => throw BuiltinArgs.TypeMismatch(1, a[1], "array", "set"),
        };

        var sb = new StringBuilder();
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i] is not StringValue s)
            {
                throw CollectionOperandErrors.Element(1, a[1], items[i], "string");
            }

            if (i > 0)
            {
                sb.Append(delimiter);
            }

            sb.Append(s.Value);
        }

        return StringValue.Create(sb.ToString());
    }

    // OPA truncates a non-integral operand toward zero (big.Float.Int) before formatting.
    private static Value StringsFormatInt(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var n = BuiltinArgs.Number(a, 0);
        var baseNumber = BuiltinArgs.Number(a, 1);
        if (!baseNumber.TryGetInt32(out var radix) || radix is not (2 or 8 or 10 or 16))
        {
            throw BuiltinArgs.OperandError(1, "must be one of {2, 8, 10, 16}");
        }

        BigInteger value = n.TryGetBigInteger(out var big) ? big : new BigInteger(Math.Truncate(n.ToDouble()));
        return StringValue.Create(GoIntText.Format(value, radix));
    }

    // indexof counts code points, not bytes or UTF-16 units.
    private static Value StringsIndexOf(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var s = BuiltinArgs.String(a, 0);
        var search = BuiltinArgs.String(a, 1);
        if (search.Length == 0)
        {
            throw new RegoBuiltinException("empty search character");
        }

        var i = s.IndexOf(search, StringComparison.Ordinal);
        return NumberValue.Create(i < 0 ? -1 : StringsText.RuneCount(s.AsSpan(0, i)));
    }

    private static Value StringsIndexOfN(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var s = BuiltinArgs.String(a, 0);
        var search = BuiltinArgs.String(a, 1);
        if (search.Length == 0)
        {
            throw new RegoBuiltinException("empty search character");
        }

        // Overlapping matches are all reported, at code point offsets.
        var result = new List<Value>();
        var runeIndex = 0;
        for (var i = 0; i < s.Length; i += char.IsSurrogatePair(s, i) ? 2 : 1, runeIndex++)
        {
            if (i + search.Length <= s.Length && string.CompareOrdinal(s, i, search, 0, search.Length) == 0)
            {
                result.Add(NumberValue.Create(runeIndex));
            }
        }

        return ArrayValue.CreateRange(result);
    }

    private static Value StringsReplaceN(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var patterns = BuiltinArgs.Object(a, 0);
        var s = BuiltinArgs.String(a, 1);
        var pairs = new List<(string Old, string New)>(patterns.Count);
        foreach (var (key, value) in patterns)
        {
            if (key is not StringValue k)
            {
                throw BuiltinArgs.OperandError(0, "non-string key found in pattern object");
            }

            if (value is not StringValue v)
            {
                throw BuiltinArgs.OperandError(0, "non-string value found in pattern object");
            }

            pairs.Add((k.Value, v.Value));
        }

        return StringValue.Create(StringsText.ReplaceMany(s, pairs));
    }

    // strings.split_n keeps the first n parts (n > 0) or the last -n parts (n < 0); 0 gives no parts.
    private static Value StringsSplitN(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var s = BuiltinArgs.String(a, 0);
        var delimiter = BuiltinArgs.String(a, 1);
        var n = BuiltinArgs.Int32(a, 2);
        var parts = StringsText.Split(s, delimiter);
        if (n >= 0)
        {
            return StringsToArray(parts.GetRange(0, Math.Min(n, parts.Count)));
        }

        var take = (int)Math.Min(-(long)n, parts.Count);
        return StringsToArray(parts.GetRange(parts.Count - take, take));
    }

    private static Value StringsSubstring(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var s = BuiltinArgs.String(a, 0);
        var start = BuiltinArgs.Int32(a, 1);
        var length = BuiltinArgs.Int32(a, 2);
        if (start < 0)
        {
            throw new RegoBuiltinException("negative offset");
        }

        var runes = StringsText.Runes(s);
        if (start >= runes.Length)
        {
            return StringValue.Empty;
        }

        var end = length < 0 || (long)start + length > runes.Length ? runes.Length : start + length;
        return StringValue.Create(StringsText.FromRunes(runes.AsSpan(start, end - start)));
    }

    private static BooleanValue StringsAnyMatch(ReadOnlySpan<Value> a, Func<string, string, bool> match)
    {
        var candidates = StringsOperand(a, 0);
        var patterns = StringsOperand(a, 1);
        foreach (var c in candidates)
        {
            foreach (var p in patterns)
            {
                if (match(c, p))
                {
                    return BooleanValue.True;
                }
            }
        }

        return BooleanValue.False;
    }

    // A string, or an array or set of strings; OPA lists the accepted kinds unsorted here.
    private static List<string> StringsOperand(ReadOnlySpan<Value> a, int index)
    {
        switch (a[index])
        {
            case StringValue s:
                return [s.Value];
            case ArrayValue or SetValue:
                var items = a[index] is ArrayValue arr ? arr.Items : ((SetValue)a[index]).Items;
                var result = new List<string>(items.Length);
                foreach (var item in items)
                {
                    result.Add(item is StringValue s ? s.Value : throw CollectionOperandErrors.Element(index, a[index], item, "string"));
                }

                return result;
            default:
                throw BuiltinArgs.OperandError(index, $"must be one of {{string, set, array}} but got {a[index].TypeName}");
        }
    }
}
