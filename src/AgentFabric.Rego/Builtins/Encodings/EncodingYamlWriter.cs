using System.Text;
using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Encodings;

/// <summary>Block-style YAML in go-yaml v2's layout (what OPA's <c>yaml.marshal</c> prints): two-space indents,
/// sequences under a mapping key not indented, keys sorted, empty collections as <c>{}</c>/<c>[]</c>, strings quoted
/// only when plain text would read back as something else.</summary>
internal static class EncodingYamlWriter
{
    public static string Marshal(Value v)
    {
        var sb = new StringBuilder();
        if (IsInline(v))
        {
            sb.Append(Inline(v, 0)).Append('\n');
        }
        else
        {
            Block(sb, v, 0);
        }

        return sb.ToString();
    }

    private static bool IsInline(Value v) => v switch
    {
        ArrayValue a => a.Count == 0,
        SetValue s => s.Count == 0,
        ObjectValue o => o.Count == 0,
        _ => true,
    };

    // Scalars and empty collections; a multi-line string becomes a literal block indented by `indent`.
    private static string Inline(Value v, int indent) => v switch
    {
        StringValue s when IsLiteralBlock(s.Value) => LiteralBlock(s.Value, indent),
        ArrayValue or SetValue => "[]",
        ObjectValue => "{}",
        NullValue => "null",
        BooleanValue b => b.Value ? "true" : "false",
        NumberValue n => n.ToString(),
        StringValue s => Scalar(s.Value),
        _ => v.ToString(),
    };

    // Writes a non-empty collection whose first line starts at the current position, indented by `indent`.
    private static void Block(StringBuilder sb, Value v, int indent)
    {
        var pad = new string(' ', indent);
        var first = true;
        if (v is ObjectValue o)
        {
            var entries = new List<(string Key, Value Value)>();
            foreach (var (k, val) in o)
            {
                entries.Add((k is StringValue ks ? ks.Value : EncodingGoJson.Marshal(k), val));
            }

            entries.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
            foreach (var (key, val) in entries)
            {
                if (!first)
                {
                    sb.Append(pad);
                }

                first = false;
                sb.Append(Scalar(key)).Append(':');
                if (IsInline(val))
                {
                    sb.Append(' ').Append(Inline(val, indent + 2)).Append('\n');
                }
                else if (val is ObjectValue)
                {
                    sb.Append('\n').Append(pad).Append("  ");
                    Block(sb, val, indent + 2);
                }
                else
                {
                    // go-yaml v2 does not indent a sequence under a mapping key.
                    sb.Append('\n').Append(pad);
                    Block(sb, val, indent);
                }
            }

            return;
        }

        var items = v is ArrayValue arr ? arr.Items : ((SetValue)v).Items;
        foreach (var item in items)
        {
            if (!first)
            {
                sb.Append(pad);
            }

            first = false;
            sb.Append("- ");
            if (IsInline(item))
            {
                sb.Append(Inline(item, indent + 2)).Append('\n');
            }
            else
            {
                Block(sb, item, indent + 2);
            }
        }
    }

    private static bool IsLiteralBlock(string s)
    {
        if (!s.Contains('\n', StringComparison.Ordinal) || s[0] == ' ' || s[0] == '\n')
        {
            return false;
        }

        foreach (var c in s)
        {
            if ((c < ' ' && c != '\n') || c == '\x7f')
            {
                return false;
            }
        }

        return true;
    }

    // "|-" strips the final line break, "|" keeps exactly one, "|+" keeps them all.
    private static string LiteralBlock(string s, int indent)
    {
        var trailing = s.Length - s.TrimEnd('\n').Length;
        var header = trailing switch
        {
            0 => "|-",
            1 => "|",
            _ => "|+",
        };
        var body = trailing > 0 ? s[..^trailing] : s;
        var pad = new string(' ', Math.Max(indent, 2));
        var sb = new StringBuilder(header);
        foreach (var line in body.Split('\n'))
        {
            sb.Append('\n');
            if (line.Length > 0)
            {
                sb.Append(pad).Append(line);
            }
        }

        for (var i = 1; i < trailing; i++)
        {
            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Scalar(string s)
    {
        if (s.Length == 0)
        {
            return "\"\"";
        }

        bool resolvesToOther;
        try
        {
            resolvesToOther = EncodingYaml.Resolve(s) is not null;
        }
        catch (EncodingYamlException)
        {
            resolvesToOther = true;
        }

        if (resolvesToOther || NeedsDoubleQuotes(s))
        {
            var sb = new StringBuilder();
            GoQuote.Append(sb, s);
            return sb.ToString();
        }

        return NeedsQuotes(s) ? "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'" : s;
    }

    private static bool NeedsDoubleQuotes(string s)
    {
        foreach (var c in s)
        {
            if (c < ' ' || c == '\x7f')
            {
                return true;
            }
        }

        return false;
    }

    // Plain scalars cannot start with an indicator, start or end with a space, or contain ": " or " #".
    private static bool NeedsQuotes(string s) =>
        "-?:,[]{}#&*!|>'\"%@`".Contains(s[0], StringComparison.Ordinal)
        || s[0] == ' ' || s[^1] == ' ' || s[^1] == ':'
        || s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal);
}
