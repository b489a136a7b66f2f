using System.Text;
using System.Text.Json;
using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Tokens;

/// <summary>A compact-serialized JWS split into its three base64url parts (RFC 7515 §7.1), with the decoding steps
/// of RFC 7519 §7.2 and OPA's error texts.</summary>
internal sealed class Jwt
{
    private Jwt(string header, string payload, string signature)
    {
        Header = header;
        Payload = payload;
        Signature = signature;
    }

    public string Header { get; }

    public string Payload { get; }

    public string Signature { get; }

    /// <summary>The JWS signing input: <c>header.payload</c> as sent.</summary>
    public byte[] SigningInput => Encoding.ASCII.GetBytes(Header + "." + Payload);

    // RFC 7519 §7.2 steps 1-2.
    public static Jwt Split(string token)
    {
        if (!token.Contains('.', StringComparison.Ordinal))
        {
            throw new RegoBuiltinException("encoded JWT had no period separators");
        }

        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw new RegoBuiltinException($"encoded JWT must have 3 sections, found {parts.Length}");
        }

        return new Jwt(parts[0], parts[1], parts[2]);
    }

    // RFC 7519 §7.2 steps 3-4; a header with "enc" is a JWE (RFC 7516 §4.1.2), which OPA does not support.
    public ObjectValue DecodeHeader()
    {
        var text = DecodePart(Header, "header");
        var header = JsonObject(text, "bad JWT header: ");
        if (header.ContainsKey(StringValue.Create("enc")))
        {
            throw new RegoBuiltinException("JWT is a JWE object, which is not supported");
        }

        return header;
    }

    public string DecodePayload() => DecodePart(Payload, "payload");

    public byte[] DecodeSignature()
    {
        return GoBase64.TryDecodeUrl(Signature, out var bytes, out var error)
            ? bytes
            : throw new RegoBuiltinException("JWT signature had invalid encoding: " + error);
    }

    private static string DecodePart(string part, string name) =>
        GoBase64.TryDecodeUrl(part, out var bytes, out var error)
            ? Encoding.UTF8.GetString(bytes)
            : throw new RegoBuiltinException($"JWT {name} had invalid encoding: {error}");

    /// <summary>Parses a JSON object; duplicate members keep the last value as OPA does.</summary>
    public static ObjectValue JsonObject(string text, string prefix = "")
    {
        Value v;
        try
        {
            v = Value.ParseJson(text);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new RegoBuiltinException(prefix + "invalid JSON: " + e.Message);
        }

        return v as ObjectValue ?? throw new RegoBuiltinException(prefix + "decoded JSON type is not an Object");
    }
}
