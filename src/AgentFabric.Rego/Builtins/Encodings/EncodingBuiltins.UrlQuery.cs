using System.Text;
using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Encodings;

internal static partial class EncodingBuiltins
{
    private static void EncodingRegisterUrlQuery(BuiltinRegistry r)
    {
        RegoType[] s1 = [RegoType.String];
        r.Register("urlquery.encode", s1, RegoType.String, static (_, a) => StringValue.Create(UrlQueryEscape(BuiltinArgs.String(a, 0))));
        r.Register("urlquery.decode", s1, RegoType.String, static (_, a) => StringValue.Create(UrlQueryUnescape(BuiltinArgs.String(a, 0))));
        var values = RegoType.AnyOf(RegoType.String, RegoType.ArrayOf(RegoType.String), RegoType.SetOf(RegoType.String));
        r.Register("urlquery.encode_object", [RegoType.ObjectOf(RegoType.String, values)], RegoType.String, UrlQueryEncodeObject);
        r.Register("urlquery.decode_object", s1, RegoType.ObjectOf(RegoType.String, RegoType.ArrayOf(RegoType.String)), UrlQueryDecodeObject);
    }

    /// <summary>Go's <c>url.QueryEscape</c>: unreserved characters stay, a space becomes '+', every other UTF-8 byte
    /// becomes %XX.</summary>
    internal static string UrlQueryEscape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>Go's <c>url.QueryUnescape</c>; a bad escape gives <c>invalid URL escape "%zz"</c>.</summary>
    internal static string UrlQueryUnescape(string s)
    {
        var bytes = new List<byte>(s.Length);
        var raw = Encoding.UTF8.GetBytes(s);
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == '%')
            {
                if (i + 2 >= raw.Length || !UrlQueryIsHex(raw[i + 1]) || !UrlQueryIsHex(raw[i + 2]))
                {
                    var end = Math.Min(i + 3, raw.Length);
                    throw new RegoBuiltinException("invalid URL escape " + GoQuote.Quote(Encoding.UTF8.GetString(raw, i, end - i)));
                }

                bytes.Add(Convert.ToByte(Encoding.ASCII.GetString(raw, i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add(b == '+' ? (byte)' ' : b);
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool UrlQueryIsHex(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');

    // url.Values.Encode: keys sorted, each value as key=value, joined by '&'.
    private static Value UrlQueryEncodeObject(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var obj = BuiltinArgs.Object(a, 0);
        var pairs = new List<(string Key, List<string> Values)>();
        foreach (var (k, v) in obj)
        {
            // OPA converts the object to JSON first, so a non-string key becomes its JSON text.
            var key = k is StringValue ks ? ks.Value : EncodingGoJson.Marshal(k);
            var list = new List<string>();
            switch (v)
            {
                case StringValue s:
                    list.Add(s.Value);
                    break;
                case ArrayValue or SetValue:
                    var items = v is ArrayValue arr ? arr.Items : ((SetValue)v).Items;
                    foreach (var item in items)
                    {
                        list.Add(item is StringValue si ? si.Value : throw CollectionOperandErrors.Element(0, v, item, "string"));
                    }

                    break;
                default:
                    throw BuiltinArgs.OperandError(0, $"must be object[string: string|array[string]|set[string]] but got object with value of type {v.TypeName}");
            }

            pairs.Add((key, list));
        }

        pairs.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
        var sb = new StringBuilder();
        foreach (var (key, list) in pairs)
        {
            var ek = UrlQueryEscape(key);
            foreach (var v in list)
            {
                if (sb.Length > 0)
                {
                    sb.Append('&');
                }

                sb.Append(ek).Append('=').Append(UrlQueryEscape(v));
            }
        }

        return StringValue.Create(sb.ToString());
    }

    // url.ParseQuery: '&'-separated, ';' rejected, "k" alone means an empty value.
    private static Value UrlQueryDecodeObject(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var query = BuiltinArgs.String(a, 0);
        var result = new SortedDictionary<string, List<Value>>(StringComparer.Ordinal);
        foreach (var part in query.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            if (part.Contains(';', StringComparison.Ordinal))
            {
                throw new RegoBuiltinException("invalid semicolon separator in query");
            }

            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = UrlQueryUnescape(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? string.Empty : UrlQueryUnescape(part[(eq + 1)..]);
            if (!result.TryGetValue(key, out var list))
            {
                result[key] = list = [];
            }

            list.Add(StringValue.Create(value));
        }

        var b = new ObjectValue.Builder(result.Count);
        foreach (var (k, list) in result)
        {
            b.Set(k, ArrayValue.CreateRange(list));
        }

        return b.ToValue();
    }
}
