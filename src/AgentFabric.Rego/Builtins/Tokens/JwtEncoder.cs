using System.Text;
using System.Text.Json;
using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Tokens;

/// <summary>Creates a compact JWS (RFC 7515 §7.1) from a header and payload given as text, signed with the first key
/// of a JWK or JWK set. The header and payload bytes are encoded exactly as given.</summary>
internal static class JwtEncoder
{
    public static string Sign(string headerText, string payloadText, string jwkText)
    {
        List<JwtKey> keys;
        try
        {
            keys = JwtKey.FromJwkSet(jwkText);
        }
        catch (Exception e) when (e is JsonException or FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new RegoBuiltinException("failed to parse a JWK key (set): " + e.Message);
        }

        var key = keys.Count > 0 ? keys[0] : throw new RegoBuiltinException("no keys found in the JWK set");
        var header = HeaderObject(headerText);
        var alg = header?.Get("alg") is StringValue a ? a.Value : throw new RegoBuiltinException("missing or invalid 'alg' header: jwsbb: header \"alg\" not found");
        var algorithm = JwsAlgorithm.Find(alg) ?? throw new RegoBuiltinException("unknown JWS algorithm: " + alg);

        // RFC 7519 §5.1: a token typed JWT carries a JSON claims set.
        if (header.Get("typ") is StringValue { Value: "JWT" } && !IsJson(payloadText))
        {
            throw new RegoBuiltinException("type is JWT but payload is not JSON");
        }

        var input = GoBase64.EncodeUrl(Encoding.UTF8.GetBytes(headerText)) + "." + GoBase64.EncodeUrl(Encoding.UTF8.GetBytes(payloadText));
        var signature = algorithm.Sign(key, Encoding.ASCII.GetBytes(input))
            ?? throw new RegoBuiltinException($"failed to sign payload: the key cannot be used with {alg}");
        return input + "." + GoBase64.EncodeUrl(signature);
    }

    // The header must be a JSON object to find "alg" in; text that is not an object at all has no "alg".
    private static ObjectValue? HeaderObject(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new RegoBuiltinException("missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string");
        }

        if (trimmed[0] != '{')
        {
            return null;
        }

        try
        {
            return Value.ParseJson(text) as ObjectValue;
        }
        catch (JsonException e)
        {
            throw new RegoBuiltinException("missing or invalid 'alg' header: cannot parse JSON: " + e.Message);
        }
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
