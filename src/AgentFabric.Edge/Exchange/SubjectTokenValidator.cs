using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.Edge.Exchange;

/// <summary>A subject token that passed validation: its claims, its expiry, and the external issuer it came from
/// (null for this edge's own tokens).</summary>
public sealed record ValidatedSubjectToken(JsonElement Claims, DateTimeOffset Expiry, ExternalIssuer? ExternalIssuer);

/// <summary>
/// Validates a <c>subject_token</c>: an access token of this edge (ES256 with <c>typ: at+jwt</c> — RFC 9068 §4: a
/// resource checks typ, so an ID token or a JWT-SVID is not an access token — our issuer and key), or a token of a
/// configured external issuer (its keys, its allowed algorithms, the configured audience). Within its life on the
/// injected clock. Algorithms are fixed lists, so <c>none</c> and HS256 keyed with a public key are refused.
/// </summary>
public sealed class SubjectTokenValidator
{
    private static readonly JsonWebTokenHandler s_handler = new() { MapInboundClaims = false };
    private readonly EdgeOptions _options;
    private readonly EdgeSigningCredentials _signing;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, ExternalIssuerKeys> _external;

    /// <summary>Reads the static JWKS files of the external issuers now.</summary>
    /// <exception cref="EdgeConfigException">A JWKS file cannot be read.</exception>
    public SubjectTokenValidator(EdgeOptions options, EdgeSigningCredentials signing, TimeProvider timeProvider, IHttpClientFactory http)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(http);
        _options = options;
        _signing = signing;
        _timeProvider = timeProvider;
        _external = options.ExternalIssuers.ToDictionary(
            i => i.Issuer!.OriginalString,
            i => new ExternalIssuerKeys(i, http.CreateClient(nameof(ExternalIssuer)), timeProvider),
            StringComparer.Ordinal);
    }

    /// <summary>The token's claims. Throws <see cref="TokenExchangeException"/> (<c>invalid_request</c>, RFC 8693
    /// §2.2.2) when the token is not a valid, unexpired access token of this edge or of a configured issuer.</summary>
    public async Task<ValidatedSubjectToken> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        JsonWebToken unverified;
        try
        {
            unverified = s_handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            throw TokenExchangeException.InvalidRequest("The subject token is not a valid access token of this issuer: not a JWT");
        }

        var issuer = unverified.TryGetPayloadValue<string>("iss", out var iss) ? iss : null;
        if (issuer is not null && issuer != _options.Issuer!.ToString() && _external.TryGetValue(issuer, out var external))
        {
            return await ValidateExternalAsync(token, unverified, external, cancellationToken).ConfigureAwait(false);
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer!.ToString(),
            IssuerSigningKeys = _signing.VerificationKeys, // the JWKS's keys: a rotated-out key verifies until its overlap ends
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidTypes = ["at+jwt"],
            ValidateAudience = false, // checked against the caller by the exchange (RFC 8693 §2.1 binding)
            ValidateLifetime = false, // checked below against the injected clock
            TryAllIssuerSigningKeys = false,
        };
        var result = await s_handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            throw TokenExchangeException.InvalidRequest("The subject token is not a valid access token of this issuer: "
                + (result.Exception?.GetType().Name ?? "unreadable"));
        }

        return new ValidatedSubjectToken(Payload(jwt), CheckLifetime(jwt), null);
    }

    private async Task<ValidatedSubjectToken> ValidateExternalAsync(string token, JsonWebToken unverified, ExternalIssuerKeys external, CancellationToken cancellationToken)
    {
        var issuer = external.Issuer;
        if (!issuer.Algorithms.Contains(unverified.Alg, StringComparer.Ordinal))
        {
            // RFC 8725 §3.1: only the algorithms configured for this issuer, checked before any key is looked up.
            throw TokenExchangeException.InvalidRequest($"The subject token's algorithm \"{unverified.Alg}\" is not allowed for {issuer.Issuer}.");
        }

        var kid = string.IsNullOrEmpty(unverified.Kid) ? null : unverified.Kid;
        var keys = await external.KeysForAsync(kid, cancellationToken).ConfigureAwait(false);
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer.Issuer!.OriginalString,
            IssuerSigningKeys = keys,
            ValidAlgorithms = issuer.Algorithms,
            ValidateAudience = false, // below, for an exact error
            ValidateLifetime = false, // below, against the injected clock
            TryAllIssuerSigningKeys = kid is null,
        };
        var result = await s_handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            throw TokenExchangeException.InvalidRequest($"The subject token is not a valid token of {issuer.Issuer}: "
                + (result.Exception?.GetType().Name ?? "unreadable"));
        }

        // RFC 7519 §4.1.3: a token not addressed to the edge's configured audience is someone else's.
        var payload = Payload(jwt);
        if (!payload.TryGetProperty("aud", out var aud) || !Strings(aud).Contains(issuer.Audience, StringComparer.Ordinal))
        {
            throw TokenExchangeException.InvalidRequest($"The subject token of {issuer.Issuer} is not addressed to \"{issuer.Audience}\".");
        }

        return new ValidatedSubjectToken(payload, CheckLifetime(jwt), issuer);
    }

    private DateTimeOffset CheckLifetime(JsonWebToken jwt)
    {
        var now = _timeProvider.GetUtcNow();
        if (!jwt.TryGetPayloadValue<long>("exp", out var exp))
        {
            throw TokenExchangeException.InvalidRequest("The subject token has no exp claim.");
        }

        var expiry = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (expiry <= now)
        {
            // RFC 7519 §4.1.4.
            throw TokenExchangeException.InvalidRequest("The subject token has expired.");
        }

        if (jwt.TryGetPayloadValue<long>("nbf", out var nbf) && DateTimeOffset.FromUnixTimeSeconds(nbf) > now)
        {
            throw TokenExchangeException.InvalidRequest("The subject token is not valid yet.");
        }

        return expiry;
    }

    private static JsonElement Payload(JsonWebToken jwt) =>
        JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload)).RootElement.Clone();

    private static IEnumerable<string?> Strings(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()],
        JsonValueKind.Array => value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()),
        _ => [],
    };
}
