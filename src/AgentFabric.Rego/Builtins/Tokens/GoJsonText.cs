using System.Globalization;
using System.Text;

namespace AgentFabric.Rego.Tokens;

/// <summary>Compact JSON exactly as Go's <c>encoding/json</c> writes it, which OPA uses for the header and claims of
/// <c>io.jwt.encode_sign</c>: object keys in byte order, sets as arrays, and <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>,
/// U+2028 and U+2029 escaped as <c>\u003c</c> and so on. The signed bytes depend on it, so it must match.</summary>
internal static class GoJsonText
{
    public static string Write(Value value)
    {
        var sb = new StringBuilder();
        Append(sb, value);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, Value value)
    {
        switch (value)
        {
            case NullValue:
                sb.Append("null");
                break;
            case BooleanValue b:
                sb.Append(b.Value ? "true" : "false");
                break;
            case NumberValue n:
                n.WriteTerm(sb);
                break;
            case StringValue s:
                AppendString(sb, s.Value);
                break;
            case ArrayValue a:
                AppendList(sb, a.Items.ToArray());
                break;
            case SetValue set:
                AppendList(sb, [.. set]);
                break;
            case ObjectValue o:
                sb.Append('{');
                var first = true;
                foreach (var (k, v) in o.Select(kv => (Key: kv.Key is StringValue ks ? ks.Value : kv.Key.ToJson(), kv.Value))
                    .OrderBy(kv => kv.Key, Comparer<string>.Create(Utf8Order.Compare)))
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    AppendString(sb, k);
                    sb.Append(':');
                    Append(sb, v);
                }

                sb.Append('}');
                break;
        }
    }

    private static void AppendList(StringBuilder sb, Value[] items)
    {
        sb.Append('[');
        for (var i = 0; i < items.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            Append(sb, items[i]);
        }

        sb.Append(']');
    }

    private static void AppendString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
