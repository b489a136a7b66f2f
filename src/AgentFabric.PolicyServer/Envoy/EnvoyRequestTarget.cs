using System.Text;
using AgentFabric.Rego.Values;

namespace AgentFabric.PolicyServer.Envoy;

/// <summary>OPA-Envoy's <c>input.parsed_path</c> and <c>input.parsed_query</c>, derived from the request's
/// <c>:path</c> the way Go's <c>net/url</c> parses it (OPA-Envoy's reference behaviour).</summary>
internal static class EnvoyRequestTarget
{
    /// <summary>Splits <paramref name="path"/> into its decoded segments (leading slashes trimmed, so <c>/</c> gives
    /// <c>[""]</c>) and its query (a map of value arrays, in order of appearance). Throws
    /// <see cref="EnvoyExtAuthzException"/> for a path Go's <c>url.Parse</c> rejects.</summary>
    public static (ArrayValue Path, ObjectValue Query) Parse(string path)
    {
        foreach (var c in path)
        {
            // Go net/url: a control byte anywhere in the URL is an error.
            if (c < 0x20 || c == 0x7f)
            {
                throw new EnvoyExtAuthzException($"envoy ext_authz: parsing path \"{path}\": invalid control character in URL");
            }
        }

        // RFC 3986 §3.5: the fragment ends the URI; §3.4: the query starts at the first '?'.
        var hash = path.IndexOf('#', StringComparison.Ordinal);
        var target = hash >= 0 ? path[..hash] : path;
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var rawPath = question >= 0 ? target[..question] : target;
        var rawQuery = question >= 0 ? target[(question + 1)..] : string.Empty;

        if (!TryUnescape(rawPath, plusIsSpace: false, out var decoded))
        {
            throw new EnvoyExtAuthzException($"envoy ext_authz: parsing path \"{path}\": invalid URL escape");
        }

        var segments = decoded.TrimStart('/').Split('/');
        var items = new Value[segments.Length];
        for (var i = 0; i < segments.Length; i++)
        {
            items[i] = StringValue.Create(segments[i]);
        }

        return (ArrayValue.Create(items), ParseQuery(rawQuery, strict: false) ?? ObjectValue.Empty);
    }

    /// <summary>Parses <c>application/x-www-form-urlencoded</c> text into a map of value arrays. With
    /// <paramref name="strict"/> (Go's <c>url.ParseQuery</c> result checked) a bad pair makes the whole parse fail
    /// (null); without it (Go's <c>URL.Query()</c>) bad pairs are skipped.</summary>
    public static ObjectValue? ParseQuery(string text, bool strict)
    {
        var values = new Dictionary<string, List<Value>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var pair in text.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            // Go 1.17+: a semicolon in a query is an error, not a separator.
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var rawKey = equals >= 0 ? pair[..equals] : pair;
            var rawValue = equals >= 0 ? pair[(equals + 1)..] : string.Empty;
            if (pair.Contains(';', StringComparison.Ordinal)
                || !TryUnescape(rawKey, plusIsSpace: true, out var key)
                || !TryUnescape(rawValue, plusIsSpace: true, out var value))
            {
                if (strict)
                {
                    return null;
                }

                continue;
            }

            if (!values.TryGetValue(key, out var list))
            {
                list = [];
                values[key] = list;
                order.Add(key);
            }

            list.Add(StringValue.Create(value));
        }

        var builder = new ObjectValue.Builder(order.Count);
        foreach (var key in order)
        {
            builder.Set(key, ArrayValue.CreateRange(values[key]));
        }

        return builder.ToValue();
    }

    // RFC 3986 §2.1 percent-encoding; bytes decode as UTF-8. A '%' not followed by two hex digits is an error.
    private static bool TryUnescape(string s, bool plusIsSpace, out string result)
    {
        if (s.IndexOf('%', StringComparison.Ordinal) < 0 && !(plusIsSpace && s.Contains('+', StringComparison.Ordinal)))
        {
            result = s;
            return true;
        }

        var bytes = new List<byte>(s.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '%')
            {
                if (i + 2 >= s.Length || !IsHex(s[i + 1]) || !IsHex(s[i + 2]))
                {
                    result = string.Empty;
                    return false;
                }

                bytes.Add((byte)((HexValue(s[i + 1]) << 4) | HexValue(s[i + 2])));
                i += 2;
            }
            else if (c == '+' && plusIsSpace)
            {
                bytes.Add((byte)' ');
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                var rune = Rune.GetRuneAt(s, i);
                var n = rune.EncodeToUtf8(utf8);
                for (var k = 0; k < n; k++)
                {
                    bytes.Add(utf8[k]);
                }

                i += rune.Utf16SequenceLength - 1;
            }
        }

        result = Encoding.UTF8.GetString(bytes.ToArray());
        return true;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
