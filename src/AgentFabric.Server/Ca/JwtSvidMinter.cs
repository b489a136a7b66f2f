using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Ca;

/// <summary>
/// Encodes a JWT-SVID. Internal seam: once AgentFabric.Spiffe has its JwtSvid type (another branch), an
/// implementation over it replaces <see cref="CompactJwtSvidFormat"/> without touching the callers.
/// </summary>
internal interface IJwtSvidFormat
{
    string Encode(JwtSvidClaims claims, string kid, ECDsa key);
}

/// <summary>The claims of a JWT-SVID (JWT-SVID §3): sub, aud, exp, iat and an optional iss.</summary>
internal sealed record JwtSvidClaims(SpiffeId Subject, IReadOnlyList<string> Audience, DateTimeOffset IssuedAt, DateTimeOffset Expiry, string? Issuer);

/// <summary>JWS compact serialization with ES256 (JWT-SVID §2: alg from the allowed set, kid in the header).</summary>
internal sealed class CompactJwtSvidFormat : IJwtSvidFormat
{
    public static readonly CompactJwtSvidFormat Instance = new();

    public string Encode(JwtSvidClaims claims, string kid, ECDsa key)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "ES256", ["kid"] = kid, ["typ"] = "JWT" });
        var payload = new Dictionary<string, object>
        {
            ["sub"] = claims.Subject.ToString(),
            // JWT-SVID §3.2: aud holds one or more values.
            ["aud"] = claims.Audience.Count == 1 ? claims.Audience[0] : claims.Audience.ToArray(),
            ["exp"] = claims.Expiry.ToUnixTimeSeconds(),
            ["iat"] = claims.IssuedAt.ToUnixTimeSeconds(),
        };
        if (claims.Issuer is not null)
        {
            payload["iss"] = claims.Issuer;
        }

        var signingInput = Base64Url(header) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));

        // RFC 7518 §3.4: ES256 signatures are r||s (IEEE P1363), .NET's default format.
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] data) => Federation.SpiffeBundleJson.Base64Url(data);
}

/// <summary>Mints JWT-SVIDs with the active JWT key; the token never outlives the key.</summary>
public sealed class JwtSvidMinter
{
    private readonly JwtAuthority _authority;
    private readonly string? _issuer;
    private readonly TimeProvider _time;
    private readonly IJwtSvidFormat _format;

    public JwtSvidMinter(JwtAuthority authority, string? issuer, TimeProvider time)
        : this(authority, issuer, time, CompactJwtSvidFormat.Instance)
    {
    }

    internal JwtSvidMinter(JwtAuthority authority, string? issuer, TimeProvider time, IJwtSvidFormat format)
    {
        _authority = authority;
        _issuer = issuer;
        _time = time;
        _format = format;
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

        return (_format.Encode(new JwtSvidClaims(subject, audience, now, expiry, _issuer), kid, key), expiry);
    }
}
