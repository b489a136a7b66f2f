using System.Text;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.GoCompat;

internal sealed partial class GoTemplate
{
    /// <summary>Go's fmt %v of the decoded JSON value.</summary>
    internal static void Print(StringBuilder sb, Value? value)
    {
        switch (value)
        {
            case null:
                sb.Append(UndefinedText);
                break;
            case NullValue:
                sb.Append("<nil>");
                break;
            case StringValue s:
                sb.Append(s.Value);
                break;
            case ArrayValue or SetValue:
                sb.Append('[');
                var first = true;
                foreach (var item in (IEnumerable<Value>)value)
                {
                    if (!first)
                    {
                        sb.Append(' ');
                    }

                    first = false;
                    Print(sb, item);
                }

                sb.Append(']');
                break;
            case ObjectValue o:
                sb.Append("map[");
                var firstEntry = true;
                foreach (var (k, v) in o.OrderBy(e => KeyText(e.Key), StringComparer.Ordinal))
                {
                    if (!firstEntry)
                    {
                        sb.Append(' ');
                    }

                    firstEntry = false;
                    sb.Append(KeyText(k)).Append(':');
                    Print(sb, v);
                }

                sb.Append(']');
                break;
            default:
                sb.Append(value.ToString());
                break;
        }
    }

    internal static string Text(Value? value)
    {
        var sb = new StringBuilder();
        Print(sb, value);
        return sb.ToString();
    }

    // JSON object keys are strings; a non-string Rego key becomes its JSON text.
    private static string KeyText(Value key) => key is StringValue s ? s.Value : key.ToJson();

    internal static string GoTypeName(Value? value) => value switch
    {
        null or NullValue => "<nil>",
        StringValue => "string",
        NumberValue => "json.Number",
        BooleanValue => "bool",
        ArrayValue or SetValue => "[]interface {}",
        _ => "map[string]interface {}",
    };
}
