using System.Text.Json;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Svid.Jwt;

namespace AgentFabric.Server.Ca;

/// <summary>
/// Mints JWT-SVIDs with the active JWT key through the SDK's <see cref="JwtSvid.Mint"/>; the token never outlives
/// the key. Tokens carry <c>{"alg":"ES256","kid","typ":"JWT"}</c> and sub, aud, exp, iat and the configured iss.
/// </summary>
public sealed class JwtSvidMinter
{
    private readonly JwtAuthority _authority;
    private readonly Dictionary<string, JsonElement>? _issuerClaim;
    private readonly TimeProvider _time;

    public JwtSvidMinter(JwtAuthority authority, string? issuer, TimeProvider time)
    {
        _authority = authority;
        _issuerClaim = issuer is null ? null : new Dictionary<string, JsonElement> { ["iss"] = JsonSerializer.SerializeToElement(issuer) };
        _time = time;
    }

    public (string Token, DateTimeOffset Expiry) Mint(SpiffeId subject, IReadOnlyList<string> audience, TimeSpan ttl)
    {
        ArgumentNullException.ThrowIfNull(audience);
        if (audience.Count == 0 || audience.Any(string.IsNullOrWhiteSpace))
        {
            // JWT-SVID §3.2: the aud claim must be present with at least one non-empty value.
            throw new CaException("ca: a JWT-SVID needs at least one non-empty audience");
        }

        var (kid, key) = _authority.SigningKey();
        var now = _time.GetUtcNow();
        var expiry = now + ttl;
        if (expiry > _authority.Active.NotAfter)
        {
            expiry = _authority.Active.NotAfter;
        }

        // JWT-SVID §3.3: exp is in whole seconds and must come after iat.
        if (expiry.ToUnixTimeSeconds() <= now.ToUnixTimeSeconds())
        {
            throw new CaException($"ca: a JWT-SVID would expire at once (TTL {ttl.TotalSeconds} s, JWT key \"{kid}\" valid until {_authority.Active.NotAfter:u})");
        }

        // A one-value aud stays a plain string, as SPIRE writes it (RFC 7519 §4.1.3).
        var svid = JwtSvid.Mint(subject, audience, expiry, new JwtSigningKey(key, "ES256", kid), _time, _issuerClaim, singleAudienceAsString: true);
        return (svid.Token, svid.Expiry);
    }
}
