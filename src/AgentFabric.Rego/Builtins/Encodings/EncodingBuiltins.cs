using System.Text;
using System.Text.Json;
using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Encodings;

internal static partial class EncodingBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        RegoType[] s1 = [RegoType.String];
        r.Register("base64.encode", s1, RegoType.String, static (_, a) =>
            StringValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(BuiltinArgs.String(a, 0)))));
        r.Register("base64.decode", s1, RegoType.String, static (_, a) => StringValue.Create(EncodingDecodeBase64(BuiltinArgs.String(a, 0), url: false)));
        r.Register("base64.is_valid", s1, RegoType.Boolean, static (ctx, a) =>
            BooleanValue.Create(EncodingBase64.TryDecode(BuiltinArgs.String(a, 0), url: false, out var _, out var _)));
        r.Register("base64url.encode", s1, RegoType.String, static (_, a) =>
            StringValue.Create(EncodingBase64.ToUrl(Convert.ToBase64String(Encoding.UTF8.GetBytes(BuiltinArgs.String(a, 0))))));
        r.Register("base64url.encode_no_pad", s1, RegoType.String, static (_, a) =>
            StringValue.Create(EncodingBase64.ToUrl(Convert.ToBase64String(Encoding.UTF8.GetBytes(BuiltinArgs.String(a, 0)))).TrimEnd('=')));
        r.Register("base64url.decode", s1, RegoType.String, static (_, a) => StringValue.Create(EncodingDecodeBase64Url(BuiltinArgs.String(a, 0))));

        r.Register("hex.encode", s1, RegoType.String, static (_, a) =>
            StringValue.Create(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(BuiltinArgs.String(a, 0)))));
        r.Register("hex.decode", s1, RegoType.String, static (_, a) => StringValue.Create(EncodingDecodeHex(BuiltinArgs.String(a, 0))));

        r.Register("json.marshal", [RegoType.Any], RegoType.String, static (_, a) => StringValue.Create(EncodingGoJson.Marshal(a[0])));
        var options = RegoType.ObjectWith(
            [("indent", RegoType.String), ("prefix", RegoType.String), ("pretty", RegoType.Boolean)],
            RegoType.String,
            RegoType.Any);
        r.Register("json.marshal_with_options", [RegoType.Any, options], RegoType.String, EncodingJsonMarshalWithOptions);
        r.Register("json.unmarshal", s1, RegoType.Any, static (_, a) =>
        {
            var text = BuiltinArgs.String(a, 0);
            try
            {
                return Value.ParseJson(text);
            }
            catch (Exception e) when (e is JsonDepthExceededException or JsonNumberOutOfRangeException)
            {
                throw RegoBuiltinException.LimitReached(e.Message, e);
            }
            catch (JsonException e)
            {
                throw new RegoBuiltinException(e.Message, e);
            }
        });
        r.Register("json.is_valid", s1, RegoType.Boolean, static (_, a) =>
        {
            if (a[0] is not StringValue s)
            {
                return BooleanValue.False;
            }

            try
            {
                using var doc = JsonDocument.Parse(s.Value, new JsonDocumentOptions { MaxDepth = 10_000 });
                return BooleanValue.True;
            }
            catch (JsonException)
            {
                return BooleanValue.False;
            }
        });

        r.Register("yaml.marshal", [RegoType.Any], RegoType.String, static (_, a) => StringValue.Create(EncodingYamlWriter.Marshal(a[0])));
        r.Register("yaml.unmarshal", s1, RegoType.Any, static (_, a) =>
        {
            try
            {
                return EncodingYaml.Unmarshal(BuiltinArgs.String(a, 0));
            }
            catch (EncodingYamlException e)
            {
                throw e.IsLimit ? RegoBuiltinException.LimitReached(e.Message, e) : new RegoBuiltinException(e.Message, e);
            }
        });
        r.Register("yaml.is_valid", s1, RegoType.Boolean, static (_, a) =>
        {
            if (a[0] is not StringValue s)
            {
                return BooleanValue.False;
            }

            try
            {
                EncodingYaml.Unmarshal(s.Value);
                return BooleanValue.True;
            }
            catch (EncodingYamlException)
            {
                return BooleanValue.False;
            }
        });

        EncodingRegisterUrlQuery(r);
    }

    private static string EncodingDecodeBase64(string s, bool url)
    {
        if (!EncodingBase64.TryDecode(s, url, out var bytes, out var errorAt))
        {
            throw new RegoBuiltinException($"illegal base64 data at input byte {errorAt}");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    // Unpadded input is padded first (RFC 7515 Appendix C), as OPA does.
    private static string EncodingDecodeBase64Url(string s)
    {
        if (!s.EndsWith('='))
        {
            switch (s.Length % 4)
            {
                case 0:
                    break;
                case 2:
                    s += "==";
                    break;
                case 3:
                    s += "=";
                    break;
                default:
                    throw new RegoBuiltinException($"illegal base64url string: {s}");
            }
        }

        return EncodingDecodeBase64(s, url: true);
    }

    // Go's encoding/hex messages: "encoding/hex: invalid byte: U+0067 'g'", "encoding/hex: odd length hex string".
    private static string EncodingDecodeHex(string s)
    {
        var bytes = new byte[s.Length / 2];
        var i = 0;
        for (; i + 1 < s.Length; i += 2)
        {
            var hi = EncodingHexDigit(s, i);
            var lo = EncodingHexDigit(s, i + 1);
            bytes[i / 2] = (byte)((hi << 4) | lo);
        }

        if (s.Length % 2 == 1)
        {
            EncodingHexDigit(s, s.Length - 1);
            throw new RegoBuiltinException("encoding/hex: odd length hex string");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private static int EncodingHexDigit(string s, int i)
    {
        var c = s[i];
        var v = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };
        if (v < 0)
        {
            var rune = Rune.GetRuneAt(s, i);
            var quoted = GoQuote.Quote(rune.ToString());
            throw new RegoBuiltinException($"encoding/hex: invalid byte: U+{rune.Value:X4} '{quoted[1..^1]}'");
        }

        return v;
    }

    private static Value EncodingJsonMarshalWithOptions(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var opts = BuiltinArgs.Object(a, 1);
        var prefix = string.Empty;
        var indent = "\t";
        var prettySet = false;
        var pretty = false;
        var formatted = false;
        foreach (var (k, v) in opts)
        {
            switch (k is StringValue ks ? ks.Value : null)
            {
                case "pretty":
                    pretty = v is BooleanValue b ? b.Value : throw BuiltinArgs.OperandError(1, "pretty parameter must be a boolean");
                    prettySet = true;
                    break;
                case "indent":
                    indent = v is StringValue i ? i.Value : throw BuiltinArgs.OperandError(1, "indent parameter must be a string");
                    formatted = true;
                    break;
                case "prefix":
                    prefix = v is StringValue p ? p.Value : throw BuiltinArgs.OperandError(1, "prefix parameter must be a string");
                    formatted = true;
                    break;
                default:
                    throw BuiltinArgs.OperandError(1, $"object contained unknown key {k}");
            }
        }

        // An indent or prefix implies pretty output unless pretty is explicitly false.
        var usePretty = prettySet ? pretty : formatted;
        return StringValue.Create(usePretty ? EncodingGoJson.MarshalIndent(a[0], prefix, indent) : EncodingGoJson.Marshal(a[0]));
    }
}
