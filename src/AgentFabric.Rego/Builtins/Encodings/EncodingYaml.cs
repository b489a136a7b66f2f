using System.Globalization;
using System.Numerics;
using System.Text;
using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;
using YamlDotNet.Core;

namespace AgentFabric.Rego.Builtins.Encodings;

/// <summary>YAML as OPA reads and writes it (sigs.k8s.io/yaml over go-yaml v2): YAML 1.1 scalar resolution (so
/// <c>yes</c>/<c>off</c> are booleans), the first document only, and block-style output with sorted keys.</summary>
internal static partial class EncodingYaml
{
    private static Value Scalar(YamlDotNet.Core.Events.Scalar scalar)
    {
        var text = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" || (tag is null && scalar.Style is not ScalarStyle.Plain and not ScalarStyle.Any))
        {
            return StringValue.Create(text);
        }

        var resolved = Resolve(text);
        if (resolved is NumberValue && double.IsInfinity(ParseFloatOrZero(text)))
        {
            throw new EncodingYamlException("json: unsupported value: " + text);
        }

        return resolved ?? StringValue.Create(text);
    }

    private static double ParseFloatOrZero(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;

    /// <summary>The non-string value a plain YAML 1.1 scalar denotes, or null when it is a string.</summary>
    internal static Value? Resolve(string s)
    {
        switch (s)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return NullValue.Instance;
            case "y" or "Y" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "true" or "True" or "TRUE":
                return BooleanValue.True;
            case "n" or "N" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "false" or "False" or "FALSE":
                return BooleanValue.False;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF" or ".nan" or ".NaN" or ".NAN":
                throw new EncodingYamlException("json: unsupported value: " + s);
        }

        var c = s[0];
        if (!(char.IsAsciiDigit(c) || c is '-' or '+' or '.'))
        {
            return null;
        }

        var plain = s.Replace("_", string.Empty, StringComparison.Ordinal);
        if (TryParseGoInt(plain, out var i))
        {
            return NumberValue.Create(i);
        }

        if (DecimalFloatSyntax.IsMatch(s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            return NumberValue.Create(d);
        }

        return null;
    }

    // strconv.ParseInt(s, 0, 64): optional sign, then 0x / 0o / 0b / leading-0 octal or decimal.
    private static bool TryParseGoInt(string s, out BigInteger value)
    {
        value = 0;
        var neg = false;
        var i = 0;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            neg = s[0] == '-';
            i++;
        }

        var radix = 10;
        if (s.Length - i > 1 && s[i] == '0')
        {
            (radix, i) = char.ToLowerInvariant(s[i + 1]) switch
            {
                'x' => (16, i + 2),
                'o' => (8, i + 2),
                'b' => (2, i + 2),
                _ => (8, i + 1),
            };
        }

        if (i >= s.Length)
        {
            return false;
        }

        for (; i < s.Length; i++)
        {
            var digit = HexValue(s[i]);
            if (digit < 0 || digit >= radix)
            {
                return false;
            }

            value = value * radix + digit;
        }

        if (neg)
        {
            value = -value;
        }

        return value >= long.MinValue && value <= long.MaxValue;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

}

/// <summary>A YAML document that cannot be read, with go-yaml's wording, and the 1-based line and column of the
/// problem (0 when not known).</summary>
internal sealed class EncodingYamlException(string message, Exception? inner = null, long line = 0, long column = 0) : Exception(message, inner)
{
    /// <summary>Whether the document reached a limit (its depth) rather than being malformed.</summary>
    public bool IsLimit { get; init; }

    public long Line { get; } = line;

    public long Column { get; } = column;
}
