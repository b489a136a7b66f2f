using AgentFabric.Spiffe.Tests.Jose;
using AgentFabric.Spiffe.Tests.Pki;

namespace AgentFabric.Spiffe.Tests.Bundles;

/// <summary>
/// Expands placeholders in JSON test vectors: <c>$K1</c>/<c>$K2</c> are the members of two P-256 JWKs, <c>$RSA</c>
/// of an RSA JWK, <c>$ROOT</c>/<c>$FOREIGN</c> the base64 DER of the example.org and foreign.test roots.
/// </summary>
internal static class BundleJson
{
    public static string K1 { get; } = Members(JwkJson.Of(null, JwtTestKeys.P256));

    public static string K2 { get; } = Members(JwkJson.Of(null, JwtTestKeys.P256Second));

    public static string Rsa { get; } = Members(JwkJson.Of(null, JwtTestKeys.Rsa));

    public static string Root { get; } = Convert.ToBase64String(TestPki.Root.PublicCertificate.RawData);

    public static string Foreign { get; } = Convert.ToBase64String(TestPki.ForeignRoot.PublicCertificate.RawData);

    public static byte[] Expand(string vector) => System.Text.Encoding.UTF8.GetBytes(ExpandText(vector));

    public static string ExpandText(string vector) => vector
        .Replace("$K1", K1, StringComparison.Ordinal)
        .Replace("$K2", K2, StringComparison.Ordinal)
        .Replace("$RSA", Rsa, StringComparison.Ordinal)
        .Replace("$ROOT", Root, StringComparison.Ordinal)
        .Replace("$FOREIGN", Foreign, StringComparison.Ordinal);

    private static string Members(string jwk) => jwk[1..^1];
}
