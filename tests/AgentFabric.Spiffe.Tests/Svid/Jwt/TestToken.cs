using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AgentFabric.Spiffe.Tests.Jose;
using AgentFabric.Spiffe.Tests.Pki;

namespace AgentFabric.Spiffe.Tests.Svid.Jwt;

/// <summary>
/// Builds tokens byte by byte, independent of <c>JwtSvid.Mint</c>, so tests can write any header, payload and
/// signature — including ones the SDK must refuse.
/// </summary>
internal sealed class TestToken
{
    public JsonObject Header { get; } = new() { ["alg"] = "ES256", ["kid"] = "ec256", ["typ"] = "JWT" };

    public JsonObject Payload { get; } = new()
    {
        ["sub"] = JwtTestKeys.Subject,
        ["aud"] = new JsonArray(JwtTestKeys.Audience),
        ["exp"] = TestClock.Now.AddMinutes(5).ToUnixTimeSeconds(),
        ["iat"] = TestClock.Now.ToUnixTimeSeconds(),
    };

    /// <summary>A valid ES256 token by the ec256 key unless changed.</summary>
    public static TestToken Valid() => new();

    /// <summary>A valid token of <paramref name="alg"/> signed by the bundle key for it.</summary>
    public static TestToken Valid(string alg)
    {
        var token = new TestToken();
        token.Header["alg"] = alg;
        token.Header["kid"] = JwtTestKeys.For(alg).Kid;
        return token;
    }

    public static string B64(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    public static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));

    /// <summary>Signs with the bundle key for the header's alg.</summary>
    public string Sign() => Sign(JwtTestKeys.For((string)Header["alg"]!).Key);

    /// <summary>Signs with <paramref name="key"/> using the header's alg (RS/PS/ES).</summary>
    public string Sign(AsymmetricAlgorithm key)
    {
        string input = SigningInput();
        return input + "." + B64(SignBytes((string)Header["alg"]!, key, Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>Header and payload as they are, with any signature bytes.</summary>
    public string WithSignature(ReadOnlySpan<byte> signature) => SigningInput() + "." + B64(signature);

    public string SigningInput() => B64(Header.ToJsonString()) + "." + B64(Payload.ToJsonString());

    public static byte[] SignBytes(string alg, AsymmetricAlgorithm key, byte[] data)
    {
        var hash = alg[2..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        };
        return alg[..2] switch
        {
            "ES" => ((ECDsa)key).SignData(data, hash),
            "RS" => ((RSA)key).SignData(data, hash, RSASignaturePadding.Pkcs1),
            "PS" => ((RSA)key).SignData(data, hash, RSASignaturePadding.Pss),
            _ => throw new ArgumentOutOfRangeException(nameof(alg), alg, null),
        };
    }
}
