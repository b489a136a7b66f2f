using System.Security.Cryptography;

namespace AgentFabric.Spiffe.Jose;

/// <summary>The NIST curves of RFC 7518 §6.2.1.1 by their JWK names, and how to recognise them on a .NET key.</summary>
internal static class JwkCurves
{
    public const string P256 = "P-256";
    public const string P384 = "P-384";
    public const string P521 = "P-521";

    /// <summary>The JWK name of the key's curve, or null when it is not one of the three NIST curves.</summary>
    public static string? NameOf(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var curve = key.ExportParameters(false).Curve;
        if (!curve.IsNamed)
        {
            return null;
        }

        return curve.Oid.Value switch
        {
            "1.2.840.10045.3.1.7" => P256,
            "1.3.132.0.34" => P384,
            "1.3.132.0.35" => P521,
            _ => curve.Oid.FriendlyName switch
            {
                "nistP256" or "ECDSA_P256" or "secp256r1" or "prime256v1" => P256,
                "nistP384" or "ECDSA_P384" or "secp384r1" => P384,
                "nistP521" or "ECDSA_P521" or "secp521r1" => P521,
                _ => null,
            },
        };
    }

    /// <summary>The .NET curve for a JWK curve name, or false for a curve this SDK does not know.</summary>
    public static bool TryGetCurve(string name, out ECCurve curve, out int coordinateLength)
    {
        switch (name)
        {
            case P256:
                curve = ECCurve.NamedCurves.nistP256;
                coordinateLength = 32;
                return true;
            case P384:
                curve = ECCurve.NamedCurves.nistP384;
                coordinateLength = 48;
                return true;
            case P521:
                curve = ECCurve.NamedCurves.nistP521;
                coordinateLength = 66;
                return true;
            default:
                curve = default;
                coordinateLength = 0;
                return false;
        }
    }
}
