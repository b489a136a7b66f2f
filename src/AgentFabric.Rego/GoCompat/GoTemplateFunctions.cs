using System.Globalization;
using System.Text;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.GoCompat;

/// <summary>The predefined functions of Go's text/template (and/or are in the executor: they are lazy).
/// Comparisons treat numbers by value and a number and a string by the number's text.</summary>
internal static class GoTemplateFunctions
{
    public static Value? Invoke(string name, List<Value?> args, int line)
    {
        switch (name)
        {
            case "not":
                Arity(name, args, 1, line);
                return BooleanValue.Create(!GoTemplate.IsTrue(args[0]));
            case "len":
                Arity(name, args, 1, line);
                return NumberValue.Create(Length(args[0], line));
            case "index":
                return Index(args, line);
            case "slice":
                return Slice(args, line);
            case "print":
                return StringValue.Create(Print(args, spaces: false));
            case "println":
                return StringValue.Create(Print(args, spaces: true) + "\n");
            case "printf":
                if (args.Count == 0 || args[0] is not StringValue format)
                {
                    throw GoTemplate.Exec(line, "wrong type for value; expected string");
                }

                return StringValue.Create(Printf(format.Value, args.Skip(1).ToList()));
            case "eq":
                if (args.Count < 2)
                {
                    throw GoTemplate.Exec(line, "missing argument for comparison");
                }

                return BooleanValue.Create(args.Skip(1).Any(other => Compare(args[0], other, line, ordered: false) == 0));
            case "ne":
                Arity(name, args, 2, line);
                return BooleanValue.Create(Compare(args[0], args[1], line, ordered: false) != 0);
            case "lt" or "le" or "gt" or "ge":
            {
                Arity(name, args, 2, line);
                var c = Compare(args[0], args[1], line, ordered: true);
                return BooleanValue.Create(name switch { "lt" => c < 0, "le" => c <= 0, "gt" => c > 0, _ => c >= 0 });
            }

            case "html":
                return StringValue.Create(Html(Print(args, spaces: false)));
            case "js":
                return StringValue.Create(JavaScript(Print(args, spaces: false)));
            case "urlquery":
                return StringValue.Create(Uri.EscapeDataString(Print(args, spaces: false)).Replace("%20", "+", StringComparison.Ordinal));
            default:
                throw new RegoBuiltinException($"template: template:{line.ToString(CultureInfo.InvariantCulture)}: function {GoQuote.Quote(name)} not defined");
        }
    }

    private static void Arity(string name, List<Value?> args, int want, int line)
    {
        if (args.Count != want)
        {
            throw GoTemplate.Exec(line, $"wrong number of args for {name}: want {want} got {args.Count}");
        }
    }

    // Go's len: bytes of a string (a json.Number is one), elements of a collection.
    private static int Length(Value? v, int line) => v switch
    {
        StringValue s => Encoding.UTF8.GetByteCount(s.Value),
        NumberValue n => n.ToString().Length,
        ArrayValue a => a.Count,
        SetValue s => s.Count,
        ObjectValue o => o.Count,
        _ => throw GoTemplate.Exec(line, $"error calling len: len of type {GoTemplate.GoTypeName(v)}"),
    };

    private static Value? Index(List<Value?> args, int line)
    {
        if (args.Count == 0)
        {
            throw GoTemplate.Exec(line, "wrong number of args for index: want at least 1 got 0");
        }

        var item = args[0];
        foreach (var key in args.Skip(1))
        {
            item = item switch
            {
                ObjectValue o => o.Get(key is StringValue ? key : StringValue.Create(GoTemplate.Text(key))),
                ArrayValue a => a[Position(key, a.Count, line)],
                StringValue s => NumberValue.Create(Encoding.UTF8.GetBytes(s.Value)[Position(key, Encoding.UTF8.GetByteCount(s.Value), line)]),
                null or NullValue => throw GoTemplate.Exec(line, "error calling index: index of untyped nil"),
                _ => throw GoTemplate.Exec(line, $"error calling index: can't index item of type {GoTemplate.GoTypeName(item)}"),
            };
        }

        return item;
    }

    private static Value Slice(List<Value?> args, int line)
    {
        if (args.Count is 0 or > 4)
        {
            throw GoTemplate.Exec(line, $"wrong number of args for slice: want 1 to 4 got {args.Count}");
        }

        switch (args[0])
        {
            case StringValue s:
            {
                var bytes = Encoding.UTF8.GetBytes(s.Value);
                var (from, to) = Bounds(args, bytes.Length, line);
                return StringValue.Create(Encoding.UTF8.GetString(bytes, from, to - from));
            }

            case ArrayValue a:
            {
                var (from, to) = Bounds(args, a.Count, line);
                return ArrayValue.Create(a.Items[from..to]);
            }

            default:
                throw GoTemplate.Exec(line, $"error calling slice: can't slice item of type {GoTemplate.GoTypeName(args[0])}");
        }
    }

    private static (int From, int To) Bounds(List<Value?> args, int length, int line)
    {
        var from = args.Count > 1 ? Position(args[1], length + 1, line) : 0;
        var to = args.Count > 2 ? Position(args[2], length + 1, line) : length;
        if (from > to)
        {
            throw GoTemplate.Exec(line, $"error calling slice: invalid slice index: {from} > {to}");
        }

        return (from, to);
    }

    private static int Position(Value? key, int length, int line)
    {
        if (key is not NumberValue n || !n.TryGetInt32(out var i))
        {
            throw GoTemplate.Exec(line, $"error calling index: cannot index slice/array with type {GoTemplate.GoTypeName(key)}");
        }

        return i >= 0 && i < length ? i : throw GoTemplate.Exec(line, $"error calling index: index out of range: {i}");
    }

    // fmt.Sprint adds a space between operands when neither is a string; fmt.Sprintln always does.
    private static string Print(List<Value?> args, bool spaces)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0 && (spaces || (args[i - 1] is not StringValue && args[i] is not StringValue)))
            {
                sb.Append(' ');
            }

            GoTemplate.Print(sb, args[i]);
        }

        return sb.ToString();
    }

    // A subset of fmt verbs: %v %s %d %t %q %x %%; other verbs print %!verb(value) as Go does for mismatches.
    private static string Printf(string format, List<Value?> args)
    {
        var sb = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }

            var verb = format[++i];
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }

            if (next >= args.Count)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            var arg = args[next++];
            switch (verb)
            {
                case 'v' or 's':
                    GoTemplate.Print(sb, arg);
                    break;
                case 'd' when arg is NumberValue { IsInteger: true }:
                    sb.Append(arg.ToString());
                    break;
                case 't' when arg is BooleanValue:
                    sb.Append(arg.ToString());
                    break;
                case 'q' when arg is StringValue s:
                    sb.Append(GoQuote.Quote(s.Value));
                    break;
                case 'x' when arg is StringValue s:
                    sb.Append(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(s.Value)));
                    break;
                default:
                    sb.Append("%!").Append(verb).Append('(').Append(GoTemplate.GoTypeName(arg)).Append('=');
                    GoTemplate.Print(sb, arg);
                    sb.Append(')');
                    break;
            }
        }

        if (next < args.Count)
        {
            sb.Append("%!(EXTRA ");
            sb.AppendJoin(", ", args.Skip(next).Select(a => GoTemplate.GoTypeName(a) + "=" + GoTemplate.Text(a)));
            sb.Append(')');
        }

        return sb.ToString();
    }

    private static int Compare(Value? a, Value? b, int line, bool ordered)
    {
        switch (a, b)
        {
            case (NumberValue x, NumberValue y):
                return NumberValue.Compare(x, y);
            case (StringValue x, StringValue y):
                return string.CompareOrdinal(x.Value, y.Value);
            case (NumberValue x, StringValue y):
                return string.CompareOrdinal(x.ToString(), y.Value);
            case (StringValue x, NumberValue y):
                return string.CompareOrdinal(x.Value, y.ToString());
            case (BooleanValue x, BooleanValue y) when !ordered:
                return x.Value == y.Value ? 0 : 1;
            case (null or NullValue, null or NullValue) when !ordered:
                return 0;
            default:
                if (!ordered && a is not null && b is not null && a.Kind == b.Kind && a.Kind is not (ValueKind.Array or ValueKind.Object or ValueKind.Set))
                {
                    return a.Equals(b) ? 0 : 1;
                }

                throw GoTemplate.Exec(line, ordered ? "error calling lt: incompatible types for comparison" : "error calling eq: incompatible types for comparison");
        }
    }

    private static string Html(string s) => s
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&#34;", StringComparison.Ordinal)
        .Replace("\0", "\uFFFD", StringComparison.Ordinal);

    private static string JavaScript(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '\\' => "\\\\",
                '\'' => "\\'",
                '"' => "\\\"",
                '<' => "\\u003C",
                '>' => "\\u003E",
                '&' => "\\u0026",
                '=' => "\\u003D",
                _ when c < ' ' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }
}
