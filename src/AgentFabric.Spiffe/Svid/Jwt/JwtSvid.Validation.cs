using System.Buffers;
using System.Text;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Jose;

namespace AgentFabric.Spiffe.Svid.Jwt;

/// <summary>The validation pipeline: serialization, header, claims, key selection, signature, then time and audience.</summary>
public sealed partial class JwtSvid
{
    private const int StackLimit = 1024;

    /// <summary>Validates <paramref name="token"/>; with a null <paramref name="bundleSource"/> the signature is not
    /// checked. Returns the SVID, or null with <paramref name="error"/> naming the broken rule.</summary>
    internal static JwtSvid? Validate(
        string token,
        IJwtBundleSource? bundleSource,
        IReadOnlyList<string> expectedAudience,
        JwtSvidValidationOptions options,
        out string? error)
    {
        if (token.Length == 0)
        {
            error = "jwtsvid: token is empty";
            return null;
        }

        // JWT-SVID §1, §5.1: JWS JSON serialization MUST NOT be used (RFC 7515 §7.2 documents are JSON objects).
        if (token.AsSpan().TrimStart().StartsWith('{'))
        {
            error = "jwtsvid: token uses JWS JSON serialization; a JWT-SVID uses compact serialization";
            return null;
        }

        // RFC 7515 §7.1: BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature).
        int firstDot = token.IndexOf('.', StringComparison.Ordinal);
        int secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (secondDot < 0 || token.IndexOf('.', secondDot + 1) >= 0)
        {
            error = $"jwtsvid: token has {token.AsSpan().Count('.') + 1} dot-separated parts, expected 3 (JWS compact serialization)";
            return null;
        }

        var headerText = token.AsSpan(0, firstDot);
        var payloadText = token.AsSpan(firstDot + 1, secondDot - firstDot - 1);
        var signatureText = token.AsSpan(secondDot + 1);

        error = ReadHeader(headerText, out var header);
        if (error is not null)
        {
            return null;
        }

        var payload = Base64UrlText.TryDecode(payloadText);
        if (payload is null)
        {
            error = "jwtsvid: payload is not base64url";
            return null;
        }

        error = JwtSvidClaims.TryRead(payload, out var claims);
        if (error is not null)
        {
            return null;
        }

        if (bundleSource is not null)
        {
            error = VerifySignature(token.AsSpan(0, secondDot), signatureText, header, claims.Id, bundleSource);
            if (error is not null)
            {
                return null;
            }
        }

        error = claims.CheckTimeAndAudience(expectedAudience, options);
        if (error is not null)
        {
            return null;
        }

        return new JwtSvid(
            token, claims.Id, claims.Audience, claims.Expiry, claims.IssuedAt, claims.NotBefore, claims.Root,
            header.Algorithm.Name, header.KeyId, hint: null);
    }

    private static string? ReadHeader(ReadOnlySpan<char> headerText, out JoseHeader header)
    {
        header = default;
        int max = (headerText.Length * 3 / 4) + 3;
        byte[]? rented = max > StackLimit ? ArrayPool<byte>.Shared.Rent(max) : null;
        try
        {
            Span<byte> buffer = rented ?? stackalloc byte[StackLimit];
            if (!Base64UrlText.TryDecode(headerText, buffer, out int written))
            {
                return "jwtsvid: header is not base64url";
            }

            // RFC 7515 §5.2 step 3: the decoded header is a UTF-8 encoded JSON object.
            if (!JsonText.IsUtf8(buffer[..written]))
            {
                return "jwtsvid: header is not valid UTF-8";
            }

            return JoseHeader.TryRead(buffer[..written], out header);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // JWT-SVID §4, RFC 7515 §5.2: the key comes from the bundle of the subject's own trust domain (Workload API §4.6).
    private static string? VerifySignature(
        ReadOnlySpan<char> signingInputText,
        ReadOnlySpan<char> signatureText,
        JoseHeader header,
        SpiffeId subject,
        IJwtBundleSource bundleSource)
    {
        var trustDomain = subject.TrustDomain;
        JwtBundle bundle;
        try
        {
            bundle = bundleSource.GetJwtBundleForTrustDomain(trustDomain);
        }
        catch (JwtBundleException ex)
        {
            return "jwtsvid: could not get JWT bundle: " + ex.Message;
        }

        var authorities = bundle.Snapshot;

        // Bundle §4.1.3: a bundle without keys trusts nothing.
        if (authorities.Length == 0)
        {
            return $"jwtsvid: JWT bundle for trust domain \"{trustDomain}\" is empty";
        }

        JwtAuthority? named = null;
        if (header.KeyId is { } kid)
        {
            // JWT-SVID §2.2: a kid must name a key of this trust domain's bundle.
            if (!bundle.TryFindJwtAuthority(kid, out named))
            {
                return $"jwtsvid: no JWT authority \"{kid}\" found for trust domain \"{trustDomain}\"";
            }

            // RFC 7518 §3.3-§3.5: the algorithm determines the key type and curve.
            if (!named.Supports(header.Algorithm))
            {
                return $"jwtsvid: token algorithm \"{header.Algorithm.Name}\" does not match authority \"{kid}\" ({named.Describe()})";
            }

            // RFC 7518 §3.3, §3.5: RSA keys under 2048 bits MUST NOT be used.
            if (named.PublicKey.KeySize < JwsAlgorithm.MinimumRsaKeySize && header.Algorithm.Family == JwsKeyFamily.Rsa)
            {
                return $"jwtsvid: authority \"{kid}\" is an RSA key of {named.PublicKey.KeySize} bits; RS* and PS* need 2048 or more";
            }
        }

        int maxSignature = (signatureText.Length * 3 / 4) + 3;
        int inputLength = signingInputText.Length;
        byte[]? rentedSignature = maxSignature > StackLimit ? ArrayPool<byte>.Shared.Rent(maxSignature) : null;
        byte[] rentedInput = ArrayPool<byte>.Shared.Rent(inputLength);
        try
        {
            Span<byte> signatureBuffer = rentedSignature ?? stackalloc byte[StackLimit];
            if (!Base64UrlText.TryDecode(signatureText, signatureBuffer, out int signatureLength))
            {
                return "jwtsvid: signature is not base64url";
            }

            var signature = signatureBuffer[..signatureLength];

            // The header and payload passed the base64url alphabet check, so the text is ASCII.
            var signingInput = rentedInput.AsSpan(0, Encoding.ASCII.GetBytes(signingInputText, rentedInput));

            if (named is not null)
            {
                return named.Verify(header.Algorithm, signingInput, signature)
                    ? null
                    : "jwtsvid: token signature is invalid";
            }

            // JWT-SVID §2.2: kid is optional. Without it the token is accepted when any key of the trust domain that
            // fits the algorithm verifies it.
            bool anyCompatible = false;
            foreach (var authority in authorities)
            {
                if (!authority.Supports(header.Algorithm) ||
                    (header.Algorithm.Family == JwsKeyFamily.Rsa && authority.PublicKey.KeySize < JwsAlgorithm.MinimumRsaKeySize))
                {
                    continue;
                }

                anyCompatible = true;
                if (authority.Verify(header.Algorithm, signingInput, signature))
                {
                    return null;
                }
            }

            return anyCompatible
                ? $"jwtsvid: token has no \"kid\" and no JWT authority of trust domain \"{trustDomain}\" verifies its signature"
                : $"jwtsvid: token has no \"kid\" and trust domain \"{trustDomain}\" has no JWT authority for algorithm \"{header.Algorithm.Name}\"";
        }
        finally
        {
            if (rentedSignature is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedSignature);
            }

            ArrayPool<byte>.Shared.Return(rentedInput);
        }
    }
}
