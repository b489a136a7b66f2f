using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.Edge.Exchange;

/// <summary>RFC 8705 §3.1: the <c>x5t#S256</c> confirmation method, the base64url SHA-256 of the certificate's DER.</summary>
public static class CertificateThumbprint
{
    /// <summary>The member of <c>cnf</c> (RFC 7800 §3.1) holding the thumbprint.</summary>
    public const string ClaimName = "x5t#S256";

    public static string Compute(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Base64UrlEncoder.Encode(SHA256.HashData(certificate.RawData));
    }
}
