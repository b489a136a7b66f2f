using System.Security.Cryptography;
using System.Text;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Crypto;

internal static partial class CryptoBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        r.Register("crypto.md5", [RegoType.String], RegoType.String, static (_, a) => HexDigest(MD5.HashData(Utf8(a, 0))));
        r.Register("crypto.sha1", [RegoType.String], RegoType.String, static (_, a) => HexDigest(SHA1.HashData(Utf8(a, 0))));
        r.Register("crypto.sha256", [RegoType.String], RegoType.String, static (_, a) => HexDigest(SHA256.HashData(Utf8(a, 0))));

        // RFC 2104 HMAC; operand 1 is the message, operand 2 the key.
        r.Register("crypto.hmac.md5", [RegoType.String, RegoType.String], RegoType.String, static (_, a) => HexDigest(HMACMD5.HashData(Utf8(a, 1), Utf8(a, 0))));
        r.Register("crypto.hmac.sha1", [RegoType.String, RegoType.String], RegoType.String, static (_, a) => HexDigest(HMACSHA1.HashData(Utf8(a, 1), Utf8(a, 0))));
        r.Register("crypto.hmac.sha256", [RegoType.String, RegoType.String], RegoType.String, static (_, a) => HexDigest(HMACSHA256.HashData(Utf8(a, 1), Utf8(a, 0))));
        r.Register("crypto.hmac.sha512", [RegoType.String, RegoType.String], RegoType.String, static (_, a) => HexDigest(HMACSHA512.HashData(Utf8(a, 1), Utf8(a, 0))));

        // Compares in constant time so policies can check MACs without a timing side channel.
        r.Register("crypto.hmac.equal", [RegoType.String, RegoType.String], RegoType.Boolean, static (_, a) =>
            BooleanValue.Create(CryptographicOperations.FixedTimeEquals(Utf8(a, 0), Utf8(a, 1))));

        RegisterX509(r);
    }

    private static byte[] Utf8(ReadOnlySpan<Value> a, int index) => Encoding.UTF8.GetBytes(BuiltinArgs.String(a, index));

    private static Value HexDigest(byte[] digest) => StringValue.Create(Convert.ToHexStringLower(digest));
}
