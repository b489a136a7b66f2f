using System.Security.Cryptography;
using AgentFabric.Spiffe.Jose;

namespace AgentFabric.Spiffe.Bundles.Jwt;

/// <summary>
/// One JWT-SVID signing key of a trust domain: a key ID and an RSA or NIST-curve EC public key (JWT-SVID §6). The key
/// is a private copy holding the public part only, so nothing outside can change or dispose it.
/// </summary>
public sealed class JwtAuthority : IEquatable<JwtAuthority>
{
    private readonly byte[] _subjectPublicKeyInfo;

    /// <summary>An authority for <paramref name="publicKey"/> (an <see cref="ECDsa"/> on P-256/P-384/P-521 or an
    /// <see cref="RSA"/>; only its public part is kept) named <paramref name="keyId"/>.</summary>
    /// <exception cref="ArgumentException">The key ID is empty or the key is of another kind.</exception>
    public JwtAuthority(string keyId, AsymmetricAlgorithm publicKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentNullException.ThrowIfNull(publicKey);
        KeyId = keyId;
        PublicKey = JsonWebKeyCodec.CopyPublicKey(publicKey);
        Curve = PublicKey is ECDsa ec ? JwkCurves.NameOf(ec) : null;
        _subjectPublicKeyInfo = PublicKey.ExportSubjectPublicKeyInfo();
    }

    /// <summary>The JWK <c>kid</c> that names the key in the bundle and in token headers.</summary>
    public string KeyId { get; }

    /// <summary>The public key: <see cref="ECDsa"/> or <see cref="RSA"/>.</summary>
    public AsymmetricAlgorithm PublicKey { get; }

    /// <summary>The JWK key type: <c>EC</c> or <c>RSA</c>.</summary>
    public string KeyType => PublicKey is ECDsa ? JsonWebKeyCodec.KeyTypeEc : JsonWebKeyCodec.KeyTypeRsa;

    /// <summary>The JWK curve name (<c>P-256</c>, <c>P-384</c>, <c>P-521</c>) of an EC key; null for RSA.</summary>
    public string? Curve { get; }

    /// <summary>The DER SubjectPublicKeyInfo of the key.</summary>
    public ReadOnlySpan<byte> SubjectPublicKeyInfo => _subjectPublicKeyInfo;

    /// <summary>True when tokens signed with <paramref name="algorithm"/> (e.g. <c>ES256</c>) can be verified with
    /// this key: RS*/PS* need RSA, ES256/ES384/ES512 need P-256/P-384/P-521 (RFC 7518 §3.3-§3.5).</summary>
    public bool SupportsAlgorithm(string algorithm) =>
        JwsAlgorithm.TryGet(algorithm, out var jws) && Supports(jws);

    /// <summary>Same key ID and same public key.</summary>
    public bool Equals(JwtAuthority? other) =>
        other is not null &&
        string.Equals(KeyId, other.KeyId, StringComparison.Ordinal) &&
        _subjectPublicKeyInfo.AsSpan().SequenceEqual(other._subjectPublicKeyInfo);

    public override bool Equals(object? obj) => Equals(obj as JwtAuthority);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(KeyId);

    /// <summary><c>kid (EC P-256)</c> or <c>kid (RSA 2048)</c>.</summary>
    public override string ToString() => $"{KeyId} ({Describe()})";

    internal bool Supports(JwsAlgorithm algorithm) =>
        algorithm.Family == JwsKeyFamily.EllipticCurve
            ? Curve is not null && string.Equals(Curve, algorithm.Curve, StringComparison.Ordinal)
            : PublicKey is RSA;

    internal bool Verify(JwsAlgorithm algorithm, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature) =>
        algorithm.Verify(PublicKey, signingInput, signature);

    /// <summary><c>EC P-256</c> or <c>RSA 2048</c>, for error messages.</summary>
    internal string Describe() => Curve is not null ? "EC " + Curve : "RSA " + PublicKey.KeySize;
}
