using System.Diagnostics.CodeAnalysis;
using AgentFabric.Spiffe.Jose;

namespace AgentFabric.Spiffe.Bundles;

/// <summary>The SPIFFE bundle format (Bundle §4): a JWK Set with SPIFFE members.</summary>
public sealed partial class SpiffeBundle
{
    /// <summary>
    /// Reads a SPIFFE bundle. JWKs with a missing or unknown <c>use</c> or an unknown <c>kty</c> are ignored (§4.2),
    /// as are <c>x509-svid</c> entries without <c>x5c</c> (X509-SVID §6.2, only the first certificate counts);
    /// <c>jwt-svid</c> entries need a unique <c>kid</c> (JWT-SVID §6.1). Members this SDK does not know are ignored
    /// (§4.1) and not written back by <see cref="Marshal"/>.
    /// </summary>
    /// <exception cref="SpiffeBundleException">The document is not a valid SPIFFE bundle.</exception>
    public static SpiffeBundle Parse(TrustDomain trustDomain, ReadOnlySpan<byte> json) =>
        TryParse(trustDomain, json, out var bundle, out var error) ? bundle : throw new SpiffeBundleException(error);

    /// <summary>Reads like <see cref="Parse"/>; on failure <paramref name="error"/> says why.</summary>
    /// <exception cref="ArgumentException"><paramref name="trustDomain"/> is the zero value.</exception>
    public static bool TryParse(
        TrustDomain trustDomain,
        ReadOnlySpan<byte> json,
        [NotNullWhen(true)] out SpiffeBundle? bundle,
        [NotNullWhen(false)] out string? error)
    {
        bundle = null;
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("spiffebundle: the trust domain is the zero value", nameof(trustDomain));
        }

        if (!JwksReader.TryRead(json, JwksFlavor.SpiffeBundle, "spiffebundle: ", out var content, out error))
        {
            return false;
        }

        bundle = FromContent(trustDomain, content);
        return true;
    }

    /// <summary>Reads a SPIFFE bundle file.</summary>
    /// <exception cref="SpiffeBundleException">The file cannot be read or parsed.</exception>
    public static SpiffeBundle Load(TrustDomain trustDomain, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] json;
        try
        {
            json = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SpiffeBundleException("spiffebundle: unable to load SPIFFE bundle file: " + ex.Message, ex);
        }

        return Parse(trustDomain, json);
    }

    /// <summary>The bundle in the SPIFFE bundle format; <see cref="Parse"/> reads it back to an equal bundle.</summary>
    /// <exception cref="SpiffeBundleException">An X.509 authority (added in code: Parse refuses them) has a key that is neither RSA nor EC on P-256/P-384/P-521, or one that cannot be decoded.</exception>
    public byte[] Marshal(bool indented = false)
    {
        var metadata = Volatile.Read(ref _metadata);
        try
        {
            return JwksWriter.WriteSpiffeBundle(
                X509Authorities, JwtAuthorities, metadata.SequenceNumber, metadata.RefreshHint, indented);
        }
        catch (ArgumentException ex)
        {
            throw new SpiffeBundleException("spiffebundle: cannot marshal bundle: " + ex.Message, ex);
        }
    }

    internal static SpiffeBundle FromContent(TrustDomain trustDomain, JwksContent content) =>
        new(trustDomain, content.X509Authorities, content.JwtAuthorities, content.SequenceNumber, content.RefreshHint);

    // Bundle §5.1.1: bundles inside a bundle map SHOULD omit the refresh hint.
    internal void WriteToBundleMap(System.Text.Json.Utf8JsonWriter writer) =>
        JwksWriter.WriteSpiffeBundle(writer, X509Authorities, JwtAuthorities, SequenceNumber, refreshHint: null);
}
