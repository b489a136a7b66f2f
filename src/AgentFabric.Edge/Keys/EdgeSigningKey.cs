using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.Edge.Keys;

/// <summary>
/// One ES256 signing key of the edge's key ring: published in the JWKS from <see cref="Published"/>, signing from
/// <see cref="SignsFrom"/> until the next key's <see cref="SignsFrom"/>, then published until every token it signed has
/// expired.
/// </summary>
public sealed class EdgeSigningKey
{
    internal EdgeSigningKey(ECDsa key, DateTimeOffset published, DateTimeOffset signsFrom)
    {
        Published = published;
        SignsFrom = signsFrom;
        KeyId = EdgeKeyFiles.KeyIdOf(key);
        Key = new ECDsaSecurityKey(key) { KeyId = KeyId };
        Credentials = new SigningCredentials(Key, SecurityAlgorithms.EcdsaSha256);
        using var publicOnly = ECDsa.Create(key.ExportParameters(includePrivateParameters: false));
        var parameters = publicOnly.ExportParameters(false);
        // RFC 7517 §4 / RFC 7518 §6.2.1: an EC public key, for signatures, with ES256.
        PublicJwk = new JsonWebKey
        {
            Kty = JsonWebAlgorithmsKeyTypes.EllipticCurve,
            Crv = JsonWebKeyECTypes.P256,
            X = Base64UrlEncoder.Encode(parameters.Q.X),
            Y = Base64UrlEncoder.Encode(parameters.Q.Y),
            Kid = KeyId,
            Use = JsonWebKeyUseNames.Sig,
            Alg = SecurityAlgorithms.EcdsaSha256,
        };
    }

    /// <summary>The key id (<c>kid</c>): the SHA-256 thumbprint of the public key, base64url.</summary>
    public string KeyId { get; }

    /// <summary>When the key entered the JWKS.</summary>
    public DateTimeOffset Published { get; }

    /// <summary>When the key starts signing.</summary>
    public DateTimeOffset SignsFrom { get; }

    public ECDsaSecurityKey Key { get; }

    public SigningCredentials Credentials { get; }

    /// <summary>The public key as the JWKS lists it.</summary>
    public JsonWebKey PublicJwk { get; }
}
