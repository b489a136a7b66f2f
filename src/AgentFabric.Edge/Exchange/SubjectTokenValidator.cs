using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.Edge.Exchange;

/// <summary>
/// Validates a <c>subject_token</c> issued by this edge: an ES256 JWT with <c>typ: at+jwt</c> (RFC 9068 §4: a
/// resource checks typ, so an ID token or a JWT-SVID is not an access token), our issuer and key, within its life.
/// Any other algorithm (<c>none</c>, HS256 keyed with our public key) is refused by the fixed algorithm list.
/// </summary>
public sealed class SubjectTokenValidator(EdgeOptions options, EdgeSigningCredentials signing, TimeProvider timeProvider)
{
    private static readonly JsonWebTokenHandler s_handler = new() { MapInboundClaims = false };

    /// <summary>The token's claims. Throws <see cref="TokenExchangeException"/> (<c>invalid_request</c>, RFC 8693
    /// §2.2.2) when the token is not a valid, unexpired access token of this edge.</summary>
    public async Task<(JsonElement Claims, DateTimeOffset Expiry)> ValidateAsync(string token)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer!.ToString(),
            IssuerSigningKeys = signing.VerificationKeys, // the JWKS's keys: a rotated-out key verifies until its overlap ends
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

        var now = timeProvider.GetUtcNow();
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

        var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload)).RootElement.Clone();
        return (payload, expiry);
    }
}
