using System.Diagnostics.CodeAnalysis;
using AgentFabric.Spiffe.Jose;

namespace AgentFabric.Spiffe.Bundles.Jwt;

/// <summary>Reading and writing a JWT bundle as a JWK Set (RFC 7517 §5), the Workload API's JWT bundle form.</summary>
public sealed partial class JwtBundle
{
    /// <summary>
    /// Reads a JWK Set. Keys whose <c>use</c> is set to anything but <c>jwt-svid</c> and keys of an unknown
    /// <c>kty</c> or curve are ignored (JWT-SVID §6.2, Bundle §4.2); a key without <c>use</c> counts
    /// as a JWT-SVID key. Every JWT-SVID key needs a unique <c>kid</c> (JWT-SVID §6.1).
    /// </summary>
    /// <exception cref="JwtBundleException">The document is not a valid JWK Set.</exception>
    public static JwtBundle Parse(TrustDomain trustDomain, ReadOnlySpan<byte> jwks) =>
        TryParse(trustDomain, jwks, out var bundle, out var error) ? bundle : throw new JwtBundleException(error);

    /// <summary>Reads like <see cref="Parse"/>; on failure <paramref name="error"/> says why.</summary>
    /// <exception cref="ArgumentException"><paramref name="trustDomain"/> is the zero value.</exception>
    public static bool TryParse(
        TrustDomain trustDomain,
        ReadOnlySpan<byte> jwks,
        [NotNullWhen(true)] out JwtBundle? bundle,
        [NotNullWhen(false)] out string? error)
    {
        bundle = null;
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("jwtbundle: the trust domain is the zero value", nameof(trustDomain));
        }

        if (!JwksReader.TryRead(jwks, JwksFlavor.JwtBundle, "jwtbundle: ", out var content, out error))
        {
            return false;
        }

        bundle = new JwtBundle(trustDomain, content.JwtAuthorities);
        return true;
    }

    /// <summary>Reads a JWK Set file.</summary>
    /// <exception cref="JwtBundleException">The file cannot be read or parsed.</exception>
    public static JwtBundle Load(TrustDomain trustDomain, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] jwks;
        try
        {
            jwks = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new JwtBundleException("jwtbundle: unable to load JWT bundle file: " + ex.Message, ex);
        }

        return Parse(trustDomain, jwks);
    }

    /// <summary>The authorities as a JWK Set (<c>kty</c>, <c>kid</c>, public key; no <c>use</c>).</summary>
    public byte[] Marshal() => JwksWriter.WriteJwtBundle(Snapshot);
}
