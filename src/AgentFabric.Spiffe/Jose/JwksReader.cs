using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AgentFabric.Spiffe.Bundles.Jwt;

namespace AgentFabric.Spiffe.Jose;

/// <summary>Which document a JWK Set is read as; they differ only for JWKs without <c>use</c>.</summary>
internal enum JwksFlavor
{
    /// <summary>A JWT bundle as the Workload API sends it (Workload API §6.2.2: "JWK encoded"): a JWK without <c>use</c> is a
    /// JWT-SVID key, a JWK with another <c>use</c> is ignored (JWT-SVID §6.2).</summary>
    JwtBundle,

    /// <summary>A SPIFFE bundle (Bundle §4): a JWK without <c>use</c> is ignored (§4.2.2).</summary>
    SpiffeBundle,
}

/// <summary>The authorities and metadata read from a JWK Set.</summary>
internal sealed record JwksContent(
    List<X509Certificate2> X509Authorities,
    List<JwtAuthority> JwtAuthorities,
    ulong? SequenceNumber,
    TimeSpan? RefreshHint);

/// <summary>
/// Reads a SPIFFE bundle / JWT bundle JWK Set. Structural damage (not JSON, no <c>keys</c>, a key without <c>kty</c>,
/// a JWT key without <c>kid</c>, bad key material, duplicate names) is an error; what the specs say to ignore (unknown
/// <c>kty</c>, missing or unknown <c>use</c>, an X.509 entry without <c>x5c</c>) is skipped. Errors carry the caller's
/// prefix (<c>jwtbundle: </c> or <c>spiffebundle: </c>).
/// </summary>
internal static class JwksReader
{
    public const string UseX509Svid = "x509-svid";
    public const string UseJwtSvid = "jwt-svid";

    public static bool TryRead(
        ReadOnlySpan<byte> json,
        JwksFlavor flavor,
        string prefix,
        [NotNullWhen(true)] out JwksContent? content,
        [NotNullWhen(false)] out string? error)
    {
        content = null;
        if (!JsonDocuments.TryParse(json, prefix + "JWKS", out var document, out error))
        {
            return false;
        }

        using (document)
        {
            return TryRead(document.RootElement, flavor, prefix, out content, out error);
        }
    }

    public static bool TryRead(
        JsonElement root,
        JwksFlavor flavor,
        string prefix,
        [NotNullWhen(true)] out JwksContent? content,
        [NotNullWhen(false)] out string? error)
    {
        content = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = prefix + "JWKS is not a JSON object";
            return false;
        }

        // Bundle §6.3 / RFC 8259 §4: duplicate names make the document ambiguous.
        if (JsonObjects.FindDuplicateName(root) is { } duplicate)
        {
            error = $"{prefix}JWKS has duplicate member \"{duplicate}\"";
            return false;
        }

        ulong? sequence = null;
        TimeSpan? refreshHint = null;
        if (flavor == JwksFlavor.SpiffeBundle &&
            (!TryReadSequence(root, prefix, out sequence, out error) || !TryReadRefreshHint(root, prefix, out refreshHint, out error)))
        {
            return false;
        }

        // Bundle §4.1.3: "keys" MUST be present; it may be empty.
        if (!root.TryGetProperty("keys", out var keys))
        {
            error = prefix + "JWKS has no \"keys\" member";
            return false;
        }

        if (keys.ValueKind != JsonValueKind.Array)
        {
            error = prefix + "JWKS member \"keys\" is not an array";
            return false;
        }

        var x509 = new List<X509Certificate2>();
        var jwt = new List<JwtAuthority>();
        int index = 0;
        foreach (var key in keys.EnumerateArray())
        {
            if (!TryReadKey(key, flavor, $"{prefix}key {index}", x509, jwt, out error))
            {
                return false;
            }

            index++;
        }

        content = new JwksContent(x509, jwt, sequence, refreshHint);
        error = null;
        return true;
    }

    private static bool TryReadKey(
        JsonElement key,
        JwksFlavor flavor,
        string where,
        List<X509Certificate2> x509,
        List<JwtAuthority> jwt,
        [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (key.ValueKind != JsonValueKind.Object)
        {
            error = where + " is not a JSON object";
            return false;
        }

        if (JsonObjects.FindDuplicateName(key) is { } duplicate)
        {
            error = $"{where} has duplicate member \"{duplicate}\"";
            return false;
        }

        // RFC 7517 §4.1, Bundle §4.2.1: "kty" MUST be set.
        if (!key.TryGetProperty("kty", out var ktyElement) || ktyElement.ValueKind != JsonValueKind.String)
        {
            error = where + " has no \"kty\" string";
            return false;
        }

        string? use = null;
        if (key.TryGetProperty("use", out var useElement))
        {
            if (useElement.ValueKind != JsonValueKind.String)
            {
                error = where + " has a \"use\" that is not a string";
                return false;
            }

            use = useElement.GetString();
        }

        // Bundle §4.2.2: a missing or unknown "use" (case-sensitive) means ignore the JWK; the
        // Workload API's JWT bundle is a plain JWK Set whose keys are all JWT-SVID keys (JWT-SVID §6.2).
        use ??= flavor == JwksFlavor.JwtBundle ? UseJwtSvid : null;
        if (use is not (UseJwtSvid or UseX509Svid) || (flavor == JwksFlavor.JwtBundle && use != UseJwtSvid))
        {
            return true;
        }

        string kty = ktyElement.GetString()!;
        if (use == UseX509Svid)
        {
            return TryReadX509(key, kty, where, x509, out error);
        }

        // Bundle §4.2.1: an unknown key type (or curve) means ignore the whole JWK, kid or not.
        var status = JsonWebKeyCodec.TryReadPublicKey(key, kty, out var publicKey, out string? reason);
        if (status == JwkKeyStatus.Unknown)
        {
            return true;
        }

        // JWT-SVID §6.1: every JWT-SVID key has a "kid"; it is how tokens name their key.
        if (!key.TryGetProperty("kid", out var kidElement) || kidElement.ValueKind != JsonValueKind.String ||
            kidElement.GetString() is not { Length: > 0 } kid)
        {
            publicKey?.Dispose();
            error = where + " is a JWT-SVID key without a \"kid\"";
            return false;
        }

        if (status == JwkKeyStatus.Invalid)
        {
            error = $"{where} (kid \"{kid}\"): {reason}";
            return false;
        }

        using (publicKey)
        {
            foreach (var existing in jwt)
            {
                if (string.Equals(existing.KeyId, kid, StringComparison.Ordinal))
                {
                    // RFC 7517 §4.5: kid selects the key; two keys with one kid would make the choice ambiguous.
                    error = $"{where} has duplicate key ID \"{kid}\"";
                    return false;
                }
            }

            jwt.Add(new JwtAuthority(kid, publicKey!));
        }

        return true;
    }

    // X509-SVID §6.2
    private static bool TryReadX509(
        JsonElement key,
        string kty,
        string where,
        List<X509Certificate2> x509,
        [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (kty is not (JsonWebKeyCodec.KeyTypeEc or JsonWebKeyCodec.KeyTypeRsa))
        {
            return true; // Bundle §4.2.1
        }

        if (!key.TryGetProperty("x5c", out var x5c))
        {
            return true; // X509-SVID §6.2: an entry without x5c is ignored.
        }

        if (x5c.ValueKind != JsonValueKind.Array)
        {
            error = where + " has an \"x5c\" that is not an array";
            return false;
        }

        if (x5c.GetArrayLength() == 0)
        {
            return true; // X509-SVID §6.2: an empty x5c is ignored.
        }

        // X509-SVID §6.2: only the first certificate counts; RFC 7517 §4.7: standard base64 DER.
        var first = x5c[0];
        byte[] der;
        try
        {
            der = first.ValueKind == JsonValueKind.String ? Convert.FromBase64String(first.GetString()!) : [];
        }
        catch (FormatException)
        {
            der = [];
        }

        if (der.Length == 0)
        {
            error = where + " has an \"x5c\" whose first value is not base64";
            return false;
        }

        if (!CertificateEncoding.TryLoadCertificate(der, out var certificate, out _))
        {
            error = where + " has an \"x5c\" whose first value is not a DER certificate";
            return false;
        }

        // RFC 7517 §4.7: the first certificate's key is the JWK's key, so it must be one a JWK of this kty can hold
        // (and one Marshal can write back).
        using (var publicKey = JsonWebKeyCodec.TryGetCertificateKey(certificate, out var reason))
        {
            if (publicKey is null)
            {
                certificate.Dispose();
                error = $"{where} has an \"x5c\" certificate whose {reason}";
                return false;
            }
        }

        foreach (var existing in x509)
        {
            if (existing.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            {
                return true; // the union of certificates (X509-SVID §6.2): a repeat adds nothing.
            }
        }

        x509.Add(certificate);
        return true;
    }

    // Bundle §4.1.1: an integer, kept in 64 bits.
    private static bool TryReadSequence(JsonElement root, string prefix, out ulong? sequence, [NotNullWhen(false)] out string? error)
    {
        sequence = null;
        error = null;
        if (!root.TryGetProperty("spiffe_sequence", out var element))
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetUInt64(out ulong value))
        {
            error = prefix + "\"spiffe_sequence\" is not a non-negative 64-bit integer";
            return false;
        }

        sequence = value;
        return true;
    }

    // Bundle §4.1.2: an integer number of seconds.
    private static bool TryReadRefreshHint(JsonElement root, string prefix, out TimeSpan? refreshHint, [NotNullWhen(false)] out string? error)
    {
        refreshHint = null;
        error = null;
        if (!root.TryGetProperty("spiffe_refresh_hint", out var element))
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long seconds) || seconds < 0 ||
            seconds > (long)TimeSpan.MaxValue.TotalSeconds)
        {
            error = prefix + "\"spiffe_refresh_hint\" is not a non-negative integer number of seconds";
            return false;
        }

        refreshHint = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
