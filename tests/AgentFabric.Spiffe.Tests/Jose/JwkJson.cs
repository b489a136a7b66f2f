using System.Buffers.Text;
using System.Security.Cryptography;

namespace AgentFabric.Spiffe.Tests.Jose;

/// <summary>Writes JWK JSON by hand for test vectors (independent of the SDK's writer).</summary>
internal static class JwkJson
{
    public static string Of(string? kid, AsymmetricAlgorithm key, string? use = null)
    {
        string head = (kid is null ? "" : $"\"kid\":\"{kid}\",") + (use is null ? "" : $"\"use\":\"{use}\",");
        switch (key)
        {
            case ECDsa ec:
                var p = ec.ExportParameters(false);
                string crv = p.Q.X!.Length switch { 32 => "P-256", 48 => "P-384", _ => "P-521" };
                return $$"""{{{head}}"kty":"EC","crv":"{{crv}}","x":"{{B64(p.Q.X!)}}","y":"{{B64(p.Q.Y!)}}"}""";
            case RSA rsa:
                var r = rsa.ExportParameters(false);
                return $$"""{{{head}}"kty":"RSA","n":"{{B64(r.Modulus!)}}","e":"{{B64(r.Exponent!)}}"}""";
            default:
                throw new ArgumentException("unsupported key", nameof(key));
        }
    }

    private static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
