using System.Security.Cryptography;
using AgentFabric.Spiffe.Bundles.Jwt;

namespace AgentFabric.Spiffe.Tests.Jose;

/// <summary>Signing keys for JWT-SVID tests, one per key type the spec allows, and the bundles that trust them.</summary>
internal static class JwtTestKeys
{
    public const string Audience = "conformance";
    public const string Subject = "spiffe://example.org/web";

    public static readonly TrustDomain ExampleOrg = TrustDomain.Parse("example.org");
    public static readonly TrustDomain Federated = TrustDomain.Parse("fed.example.org");

    public static ECDsa P256 { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static ECDsa P256Second { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static ECDsa P256Third { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static ECDsa P384 { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP384);

    public static ECDsa P521 { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP521);

    public static RSA Rsa { get; } = RSA.Create(2048);

    public static ECDsa FederatedKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The key ID and key each algorithm is tested with.</summary>
    public static (string Kid, AsymmetricAlgorithm Key) For(string alg) => alg switch
    {
        "ES256" => ("ec256", P256),
        "ES384" => ("ec384", P384),
        "ES512" => ("ec521", P521),
        _ when alg.StartsWith("RS", StringComparison.Ordinal) || alg.StartsWith("PS", StringComparison.Ordinal) => ("rsa", Rsa),
        _ => throw new ArgumentOutOfRangeException(nameof(alg), alg, null),
    };

    /// <summary>example.org's bundle: ec256, ec384, ec521, rsa.</summary>
    public static JwtBundle Bundle() => new(ExampleOrg,
    [
        new JwtAuthority("ec256", P256),
        new JwtAuthority("ec384", P384),
        new JwtAuthority("ec521", P521),
        new JwtAuthority("rsa", Rsa),
    ]);

    /// <summary>fed.example.org's bundle: fed.</summary>
    public static JwtBundle FederatedBundle() => new(Federated, [new JwtAuthority("fed", FederatedKey)]);

    public static JwtBundleSet Bundles() => new(Bundle(), FederatedBundle());
}
