using System.Text.Json;

namespace AgentFabric.Spiffe.Svid.Jwt;

/// <summary>
/// A JWT-SVID (JWT-SVID.md): a JWS in compact serialization whose <c>sub</c> is a SPIFFE ID, with a required
/// <c>aud</c> and <c>exp</c>. Instances come from <see cref="Parse"/> (signature and claims verified),
/// <see cref="ParseInsecure"/> (claims only) or <see cref="Mint"/>. Immutable. <see cref="ToString"/> never shows
/// the token, which is a bearer credential.
/// </summary>
public sealed partial class JwtSvid
{
    private readonly string[] _audience;

    private JwtSvid(
        string token,
        SpiffeId id,
        string[] audience,
        DateTimeOffset expiry,
        DateTimeOffset? issuedAt,
        DateTimeOffset? notBefore,
        JsonElement claims,
        string algorithm,
        string? keyId,
        string? hint)
    {
        Token = token;
        Id = id;
        _audience = audience;
        Expiry = expiry;
        IssuedAt = issuedAt;
        NotBefore = notBefore;
        Claims = claims;
        Algorithm = algorithm;
        KeyId = keyId;
        Hint = hint;
    }

    /// <summary>The SPIFFE ID in <c>sub</c> (JWT-SVID §3.1).</summary>
    public SpiffeId Id { get; }

    /// <summary>The <c>aud</c> values, whether the token wrote a string or an array (JWT-SVID §3.2).</summary>
    public IReadOnlyList<string> Audience => Array.AsReadOnly(_audience);

    /// <summary><c>exp</c> (JWT-SVID §3.3).</summary>
    public DateTimeOffset Expiry { get; }

    /// <summary><c>iat</c>, when present.</summary>
    public DateTimeOffset? IssuedAt { get; }

    /// <summary><c>nbf</c>, when present.</summary>
    public DateTimeOffset? NotBefore { get; }

    /// <summary>Every claim of the payload, SPIFFE-defined or not (what the Workload API's ValidateJWTSVID returns).</summary>
    public JsonElement Claims { get; }

    /// <summary>The header's <c>alg</c>, e.g. <c>ES256</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The header's <c>kid</c>, or null when the token has none (JWT-SVID §2.2).</summary>
    public string? KeyId { get; }

    /// <summary>An operator-chosen hint from the Workload API, or null.</summary>
    public string? Hint { get; }

    /// <summary>The token in JWS compact serialization (JWT-SVID §5.1), exactly as received or minted.</summary>
    public string Token { get; }

    /// <summary>The token, to send as <c>Authorization: Bearer ...</c> (JWT-SVID §5.2).</summary>
    public string Marshal() => Token;

    /// <summary>The same SVID with another hint.</summary>
    public JwtSvid WithHint(string? hint) =>
        new(Token, Id, _audience, Expiry, IssuedAt, NotBefore, Claims, Algorithm, KeyId, hint);

    /// <summary>The SPIFFE ID and expiry — never the token.</summary>
    public override string ToString() => $"JWT-SVID {Id} (expires {Expiry:u})";
}
