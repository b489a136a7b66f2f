using System.Globalization;
using AgentFabric.Rego.Values;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentFabric.Rego.Conformance;

/// <summary>Converts YAML nodes to Rego values with YAML 1.2 core-schema scalar typing (quoted scalars are strings).</summary>
internal static class YamlValues
{
    public static Value ToValue(YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode s:
                return Scalar(s);
            case YamlSequenceNode seq:
                return ArrayValue.CreateRange(seq.Children.Select(ToValue));
            case YamlMappingNode map:
            {
                var b = new ObjectValue.Builder();
                foreach (var (k, v) in map.Children)
                {
                    b.Set(StringValue.Create(((YamlScalarNode)k).Value ?? string.Empty), ToValue(v));
                }

                return b.ToValue();
            }

            default:
                throw new FormatException($"unsupported YAML node {node.NodeType}");
        }
    }

    private static Value Scalar(YamlScalarNode s)
    {
        var text = s.Value ?? string.Empty;
        if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return StringValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return NullValue.Instance;
            case "true" or "True" or "TRUE":
                return BooleanValue.True;
            case "false" or "False" or "FALSE":
                return BooleanValue.False;
        }

        if (LooksNumeric(text) && NumberValue.TryParse(text, out var n))
        {
            return n;
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) &&
            long.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
        {
            return NumberValue.Create(hex);
        }

        return StringValue.Create(text);
    }

    private static bool LooksNumeric(string text)
    {
        var t = text.AsSpan();
        if (t.Length > 0 && t[0] is '-' or '+')
        {
            t = t[1..];
        }

        return t.Length > 0 && (char.IsAsciiDigit(t[0]) || (t[0] == '.' && t.Length > 1 && char.IsAsciiDigit(t[1])));
    }
}
