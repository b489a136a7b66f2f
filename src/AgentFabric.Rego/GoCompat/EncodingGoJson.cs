using System.Globalization;
using System.Text;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.GoCompat;

/// <summary>Writes values as Go's <c>encoding/json</c> does for OPA's <c>json.marshal</c> and for the header and claims
/// of <c>io.jwt.encode_sign</c> (whose signature covers these exact bytes): sets become sorted arrays,
/// non-string object keys become their compact JSON text, and strings are escaped HTML-safe (<c>&lt; &gt; &amp;</c>
/// as <c>\u003c \u003e \u0026</c>, U+2028/U+2029 escaped) as <c>json.Marshal</c> does.</summary>
internal static class EncodingGoJson
{
    public static string Marshal(Value v)
    {
        var sb = new StringBuilder();
        Write(sb, v, null, null, 0);
        return sb.ToString();
    }

    /// <summary><c>json.MarshalIndent(v, prefix, indent)</c> with the prefix also before the first line, as OPA
    /// writes it.</summary>
    public static string MarshalIndent(Value v, string prefix, string indent)
    {
        var sb = new StringBuilder(prefix);
        Write(sb, v, prefix, indent, 0);
        return sb.ToString();
    }

    private static void NewLine(StringBuilder sb, string prefix, string indent, int depth)
    {
        sb.Append('\n').Append(prefix);
        for (var i = 0; i < depth; i++)
        {
            sb.Append(indent);
        }
    }

    private static void Write(StringBuilder sb, Value v, string? prefix, string? indent, int depth)
    {
        switch (v)
        {
            case NullValue:
                sb.Append("null");
                break;
            case BooleanValue b:
                sb.Append(b.Value ? "true" : "false");
                break;
            case NumberValue n:
                AppendNumber(sb, n);
                break;
            case StringValue s:
                AppendString(sb, s.Value);
                break;
            case ArrayValue or SetValue:
                var items = v is ArrayValue arr ? arr.Items : ((SetValue)v).Items;
                sb.Append('[');
                for (var i = 0; i < items.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    if (indent is not null)
                    {
                        NewLine(sb, prefix!, indent, depth + 1);
                    }

                    Write(sb, items[i], prefix, indent, depth + 1);
                }

                if (indent is not null && items.Length > 0)
                {
                    NewLine(sb, prefix!, indent, depth);
                }

                sb.Append(']');
                break;
            case ObjectValue o:
                // Go sorts map keys by the bytes of their UTF-8 string form.
                var entries = new List<(string Key, Value Value)>(o.Count);
                foreach (var (k, val) in o)
                {
                    entries.Add((k is StringValue ks ? ks.Value : Marshal(k), val));
                }

                entries.Sort((x, y) => Utf8Order.Compare(x.Key, y.Key));
                sb.Append('{');
                for (var i = 0; i < entries.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    if (indent is not null)
                    {
                        NewLine(sb, prefix!, indent, depth + 1);
                    }

                    AppendString(sb, entries[i].Key);
                    sb.Append(indent is null ? ":" : ": ");
                    Write(sb, entries[i].Value, prefix, indent, depth + 1);
                }

                if (indent is not null && entries.Count > 0)
                {
                    NewLine(sb, prefix!, indent, depth);
                }

                sb.Append('}');
                break;
        }
    }

    // A number written in the policy or its data keeps its text (OPA's json.Number marshals as written: 1.0, 1e3);
    // integers exactly; other numbers as encoding/json writes a float64 (plain notation unless the magnitude is
    // below 1e-6 or at least 1e21), which is also how JSON input numbers read back in OPA look.
    internal static void AppendNumber(StringBuilder sb, NumberValue n)
    {
        if (n.JsonLiteralText is { } literal)
        {
            sb.Append(literal);
            return;
        }

        if (n.IsInteger)
        {
            n.WithoutLiteralText().WriteTerm(sb);
            return;
        }

        var f = n.ToDouble();
        var abs = Math.Abs(f);
        if (abs is < 1e-6 or >= 1e21)
        {
            var text = SprintfFloatText.Format(f, 'e', -1);
            var e = text.Length - 4;
            if (e > 0 && text[e] == 'e' && text[e + 1] == '-' && text[e + 2] == '0')
            {
                text = text[..(e + 2)] + text[^1]; // e-07 -> e-7
            }

            sb.Append(text);
            return;
        }

        sb.Append(SprintfFloatText.Format(f, 'f', -1));
    }

    public static void AppendString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])))
                    {
                        sb.Append("\\ufffd"); // invalid UTF-8 in Go
                    }
                    else
                    {
                        sb.Append(c);
                        if (char.IsHighSurrogate(c))
                        {
                            sb.Append(s[++i]);
                        }
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
