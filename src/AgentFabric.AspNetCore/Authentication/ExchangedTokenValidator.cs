using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AgentFabric.Spiffe;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.AspNetCore;

/// <summary>
/// Verifies a token the edge issued by token exchange for this workload: signature by a key of the edge's JWKS, the
/// edge as issuer, <c>typ: at+jwt</c>, this workload's SPIFFE ID as audience, within its lifetime; then binds it to the
/// connection: the nearest actor of its <c>act</c> chain must be the mTLS caller, and a <c>cnf</c> claim must name the
/// caller's certificate. Returns the token or the reason it was refused; never throws for a bad token.
/// </summary>
internal sealed class ExchangedTokenValidator(EdgeMetadata metadata, TimeProvider timeProvider)
{
    // RFC 7518 §3.1: the asymmetric algorithms; HS* (a key the edge shares with nobody) and none are never accepted.
    private static readonly string[] s_algorithms =
    [
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    ];

    private static readonly JsonWebTokenHandler s_handler = new() { MapInboundClaims = false };

    public async Task<(ExchangedToken? Token, string? Error)> ValidateAsync(
        string token,
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

        TokenValidationResult result;
        try
        {
            result = await ValidateSignedAsync(token, issuer, self, options, cancellationToken).ConfigureAwait(false);
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                // An unknown kid: the edge may have rotated its key; re-read the JWKS once (rate-limited).
                metadata.RequestRefresh(issuer);
                result = await ValidateSignedAsync(token, issuer, self, options, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (EdgeMetadataException e)
        {
            // Fail closed: without the edge's keys nothing is verified.
            return (null, e.Message);
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return (null, "the token is not valid: " + Describe(result.Exception));
        }

        var lifetimeError = CheckLifetime(jwt, timeProvider.GetUtcNow(), options.ClockSkew);
        if (lifetimeError is not null)
        {
            return (null, "the token is not valid: " + lifetimeError);
        }

        var claims = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload)).RootElement.Clone();
        return Bind(token, claims, jwt.ValidTo, caller, clientCertificate);
    }

    /// <summary>The connection binding and the claims the SDK relies on; the error names the broken rule.</summary>
    internal static (ExchangedToken? Token, string? Error) Bind(string token, JsonElement claims, DateTime validTo, SpiffeId caller, X509Certificate2? clientCertificate)
    {
        // RFC 9068 §2.2: sub is a required string.
        if (!claims.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(sub.GetString()))
        {
            return (null, "the token has no sub");
        }

        // RFC 8705 §3.1: a certificate-bound token is only good on a connection authenticated with that certificate.
        if (claims.TryGetProperty("cnf", out var cnf))
        {
            var error = CheckConfirmation(cnf, clientCertificate);
            if (error is not null)
            {
                return (null, error);
            }
        }

        // RFC 8693 §4.1: act names the current actor (then earlier ones, nested). A token for this workload is only
        // presented by the actor it was exchanged for; anyone else holding it replays it.
        if (!claims.TryGetProperty("act", out var act))
        {
            return (null, "the token has no act claim: it was not exchanged for the calling workload");
        }

        var chain = new List<SpiffeId>();
        for (var current = act; ; )
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty("sub", out var actor)
                || actor.ValueKind != JsonValueKind.String || !SpiffeId.TryParse(actor.GetString(), out var id, out _))
            {
                return (null, $"act at depth {chain.Count} has no SPIFFE ID sub");
            }

            chain.Add(id);
            if (!current.TryGetProperty("act", out current))
            {
                break;
            }
        }

        if (chain[0] != caller)
        {
            return (null, $"the token was exchanged for {chain[0]}, not for the caller {caller}");
        }

        string[] scopes = claims.TryGetProperty("scope", out var scope) && scope.ValueKind == JsonValueKind.String
            ? scope.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];
        var expiry = new DateTimeOffset(DateTime.SpecifyKind(validTo, DateTimeKind.Utc));
        return (new ExchangedToken(token, claims, sub.GetString()!, chain, scopes, expiry), null);
    }

    /// <summary>RFC 7519 §4.1.4 / §4.1.5: exp is required (RFC 9068 §2.2) and must lie ahead, nbf behind, each
    /// within the skew.</summary>
    private static string? CheckLifetime(JsonWebToken jwt, DateTimeOffset now, TimeSpan skew)
    {
        if (!jwt.TryGetPayloadValue<long>("exp", out var exp))
        {
            return "no exp";
        }

        if (DateTimeOffset.FromUnixTimeSeconds(exp) + skew <= now)
        {
            return "expired";
        }

        return jwt.TryGetPayloadValue<long>("nbf", out var nbf) && DateTimeOffset.FromUnixTimeSeconds(nbf) - skew > now
            ? "not valid yet"
            : null;
    }

    private static string? CheckConfirmation(JsonElement cnf, X509Certificate2? certificate)
    {
        if (cnf.ValueKind != JsonValueKind.Object || !cnf.TryGetProperty("x5t#S256", out var thumbprint) || thumbprint.ValueKind != JsonValueKind.String)
        {
            // A confirmation method we cannot check (e.g. DPoP's jkt) is refused, never ignored.
            return "the token's cnf claim has no x5t#S256 this service can check";
        }

        if (certificate is null)
        {
            return "the token is bound to a certificate (cnf) but the connection has none";
        }

        var expected = Base64UrlEncoder.Encode(SHA256.HashData(certificate.RawDataMemory.Span));
        return CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(expected),
            System.Text.Encoding.ASCII.GetBytes(thumbprint.GetString()!))
            ? null
            : "the token is bound to another certificate (cnf x5t#S256 differs from the caller's)";
    }

    private async Task<TokenValidationResult> ValidateSignedAsync(string token, Uri issuer, SpiffeId self, SpiffeAuthenticationOptions options, CancellationToken cancellationToken)
    {
        var configuration = await metadata.GetAsync(issuer, options.MetadataRefresh, options.MetadataMinimumRefresh, cancellationToken).ConfigureAwait(false);
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
