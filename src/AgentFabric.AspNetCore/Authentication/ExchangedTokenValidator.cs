using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AgentFabric.Spiffe;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.AspNetCore;

/// <summary>
/// Verifies a token the edge issued by token exchange for this workload: signature by a key of the edge's JWKS, the
/// edge as issuer, <c>typ: at+jwt</c>, this workload's SPIFFE ID as audience, within its lifetime; then binds it to the
/// connection: the nearest actor of its <c>act</c> chain must be the mTLS caller, and a <c>cnf</c> claim must name the
/// caller's certificate. Returns the token or the reason it was refused; never throws for a bad token. A token whose
/// signature was verified is remembered (<see cref="ValidatedTokenCache"/>); lifetime and binding are checked on every
/// request.
/// </summary>
internal sealed class ExchangedTokenValidator(EdgeMetadata metadata, TimeProvider timeProvider)
{
    private readonly ValidatedTokenCache _cache = new();

    // RFC 7518 §3.1: the asymmetric algorithms; HS* (a key the edge shares with nobody) and none are never accepted.
    private static readonly string[] s_algorithms =
    [
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    ];

    private static readonly JsonWebTokenHandler s_handler = new() { MapInboundClaims = false };

    public async ValueTask<(ExchangedToken? Token, string? Error)> ValidateAsync(
        ReadOnlyMemory<char> token,
        SpiffeId self,
        SpiffeId caller,
        X509Certificate2? clientCertificate,
        SpiffeAuthenticationOptions options,
        CancellationToken cancellationToken)
    {
        if (options.EdgeIssuer is not { } issuer)
        {
            return (null, "no edge is configured to verify bearer tokens");
        }

        ValidatedToken? validated;
        try
        {
            var configuration = await metadata.GetAsync(issuer, options.MetadataRefresh, options.MetadataMinimumRefresh, cancellationToken).ConfigureAwait(false);
            if (!_cache.TryGet(token.Span, configuration, self, out validated))
            {
                var (verified, error) = await VerifyAsync(token.ToString(), issuer, self, configuration, options, cancellationToken).ConfigureAwait(false);
                if (verified is null)
                {
                    return (null, error);
                }

                validated = verified;
            }
        }
        catch (EdgeMetadataException e)
        {
            // Fail closed: without the edge's keys nothing is verified.
            return (null, e.Message);
        }

        // Per request, cached or not: the lifetime against the clock now, and the binding to this connection.
        var lifetimeError = CheckLifetime(validated.Token.Expiry, validated.NotBefore, timeProvider.GetUtcNow(), options.ClockSkew);
        if (lifetimeError is not null)
        {
            return (null, "the token is not valid: " + lifetimeError);
        }

        var bindingError = CheckBinding(validated, caller, clientCertificate);
        return bindingError is null ? (validated.Token, null) : (null, bindingError);
    }

    /// <summary>The number of verified tokens kept.</summary>
    internal int CachedTokens => _cache.Count;

    private async Task<(ValidatedToken? Token, string? Error)> VerifyAsync(
        string token,
        Uri issuer,
        SpiffeId self,
        OpenIdConnectConfiguration configuration,
        SpiffeAuthenticationOptions options,
        CancellationToken cancellationToken)
    {
        var result = await ValidateSignedAsync(token, issuer, self, configuration).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // An unknown kid: the edge may have rotated its key; re-read the JWKS once (rate-limited).
            metadata.RequestRefresh(issuer);
            configuration = await metadata.GetAsync(issuer, options.MetadataRefresh, options.MetadataMinimumRefresh, cancellationToken).ConfigureAwait(false);
            result = await ValidateSignedAsync(token, issuer, self, configuration).ConfigureAwait(false);
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return (null, "the token is not valid: " + Describe(result.Exception));
        }

        // RFC 9068 §2.2: exp is required.
        if (!jwt.TryGetPayloadValue<long>("exp", out var exp))
        {
            return (null, "the token is not valid: no exp");
        }

        DateTimeOffset? notBefore = jwt.TryGetPayloadValue<long>("nbf", out var nbf) ? DateTimeOffset.FromUnixTimeSeconds(nbf) : null;
        var claims = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload)).RootElement.Clone();
        var (parsed, thumbprint, error) = Parse(token, claims, DateTimeOffset.FromUnixTimeSeconds(exp));
        if (parsed is null)
        {
            return (null, error);
        }

        var validated = new ValidatedToken(configuration, self, parsed, notBefore, thumbprint);
        _cache.Add(validated, timeProvider.GetUtcNow(), options.ClockSkew);
        return (validated, null);
    }

    /// <summary>What the token itself must carry: a sub, a checkable cnf when it has one, an act chain of SPIFFE IDs.</summary>
    private static (ExchangedToken? Token, string? Thumbprint, string? Error) Parse(string token, JsonElement claims, DateTimeOffset expiry)
    {
        // RFC 9068 §2.2: sub is a required string.
        if (!claims.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(sub.GetString()))
        {
            return (null, null, "the token has no sub");
        }

        string? thumbprint = null;
        if (claims.TryGetProperty("cnf", out var cnf))
        {
            if (cnf.ValueKind != JsonValueKind.Object || !cnf.TryGetProperty("x5t#S256", out var x5t) || x5t.ValueKind != JsonValueKind.String)
            {
                // A confirmation method we cannot check (e.g. DPoP's jkt) is refused, never ignored.
                return (null, null, "the token's cnf claim has no x5t#S256 this service can check");
            }

            thumbprint = x5t.GetString()!;
        }

        // RFC 8693 §4.1: act names the current actor (then earlier ones, nested).
        if (!claims.TryGetProperty("act", out var act))
        {
            return (null, null, "the token has no act claim: it was not exchanged for the calling workload");
        }

        var chain = new List<SpiffeId>();
        for (var current = act; ; )
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty("sub", out var actor)
                || actor.ValueKind != JsonValueKind.String || !SpiffeId.TryParse(actor.GetString(), out var id, out _))
            {
                return (null, null, $"act at depth {chain.Count} has no SPIFFE ID sub");
            }

            chain.Add(id);
            if (!current.TryGetProperty("act", out current))
            {
                break;
            }
        }

        string[] scopes = claims.TryGetProperty("scope", out var scope) && scope.ValueKind == JsonValueKind.String
            ? scope.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];
        return (new ExchangedToken(token, claims, sub.GetString()!, chain, scopes, expiry), thumbprint, null);
    }

    private static string? CheckBinding(ValidatedToken validated, SpiffeId caller, X509Certificate2? clientCertificate)
    {
        // RFC 8705 §3.1: a certificate-bound token is only good on a connection authenticated with that certificate.
        if (validated.CertificateThumbprint is { } thumbprint)
        {
            var error = CheckConfirmation(thumbprint, clientCertificate);
            if (error is not null)
            {
                return error;
            }
        }

        // RFC 8693 §4.1: a token for this workload is only presented by the actor it was exchanged for; anyone else
        // holding it replays it.
        var actor = validated.Token.Delegation[0];
        return actor == caller ? null : $"the token was exchanged for {actor}, not for the caller {caller}";
    }

    /// <summary>RFC 7519 §4.1.4 / §4.1.5: exp must lie ahead, nbf behind, each within the skew.</summary>
    private static string? CheckLifetime(DateTimeOffset expiry, DateTimeOffset? notBefore, DateTimeOffset now, TimeSpan skew)
    {
        if (expiry + skew <= now)
        {
            return "expired";
        }

        return notBefore is { } nbf && nbf - skew > now ? "not valid yet" : null;
    }

    private static string? CheckConfirmation(string thumbprint, X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return "the token is bound to a certificate (cnf) but the connection has none";
        }

        var expected = Base64UrlEncoder.Encode(SHA256.HashData(certificate.RawDataMemory.Span));
        return CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(expected),
            System.Text.Encoding.ASCII.GetBytes(thumbprint))
            ? null
            : "the token is bound to another certificate (cnf x5t#S256 differs from the caller's)";
    }

    private static async Task<TokenValidationResult> ValidateSignedAsync(string token, Uri issuer, SpiffeId self, OpenIdConnectConfiguration configuration)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer.ToString(),
            ValidAudience = self.ToString(), // RFC 8707 / RFC 9068 §4: the token names this workload
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = s_algorithms,
            ValidTypes = ["at+jwt"], // RFC 9068 §4: an ID token or a JWT-SVID is not an access token
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = false,
            ValidateLifetime = false, // checked by CheckLifetime against the injected clock
        };
        return await s_handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
    }

    private static string Describe(Exception? e) => e switch
    {
        SecurityTokenExpiredException => "expired",
        SecurityTokenNotYetValidException => "not valid yet",
        SecurityTokenInvalidAudienceException => "not addressed to this workload",
        SecurityTokenInvalidIssuerException => "not issued by the edge",
        SecurityTokenInvalidTypeException => "not an access token (typ at+jwt)",
        SecurityTokenInvalidAlgorithmException => "signed with an algorithm that is not accepted",
        SecurityTokenSignatureKeyNotFoundException => "signed by a key the edge does not publish",
        SecurityTokenInvalidSignatureException => "bad signature",
        SecurityTokenNoExpirationException => "no exp",
        SecurityTokenMalformedException => "not a JWT",
        null => "unreadable",
        _ => e.GetType().Name,
    };
}
