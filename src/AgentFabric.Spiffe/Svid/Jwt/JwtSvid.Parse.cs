using System.Diagnostics.CodeAnalysis;
using AgentFabric.Spiffe.Bundles.Jwt;

namespace AgentFabric.Spiffe.Svid.Jwt;

/// <summary>Parsing and validating JWT-SVIDs.</summary>
public sealed partial class JwtSvid
{
    /// <summary>
    /// Parses and validates a JWT-SVID (JWT-SVID §4): compact serialization only; <c>alg</c> one of RS/PS/ES
    /// 256/384/512 and matching the key; no header but <c>alg</c>, <c>kid</c>, <c>typ</c> (JWT or JOSE); the
    /// signature verified with the JWT bundle of the trust domain of <c>sub</c> — the key named by <c>kid</c>, or,
    /// without <c>kid</c>, any key of that bundle; <c>sub</c> a SPIFFE ID; <c>aud</c> containing one of
    /// <paramref name="audience"/>; <c>exp</c> present and not passed, <c>nbf</c> honoured.
    /// </summary>
    /// <exception cref="JwtSvidException">The token is invalid or not trusted; the message names the rule.</exception>
    /// <exception cref="ArgumentException"><paramref name="audience"/> is empty, or the clock skew is negative.</exception>
    public static JwtSvid Parse(
        string token,
        IJwtBundleSource bundleSource,
        IEnumerable<string> audience,
        JwtSvidValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bundleSource);
        return ParseCore(token, bundleSource, audience, options);
    }

    /// <summary>Parses like <see cref="Parse"/>; on failure <paramref name="error"/> names the broken rule.</summary>
    /// <exception cref="ArgumentException"><paramref name="audience"/> is empty, or the clock skew is negative.</exception>
    public static bool TryParse(
        string token,
        IJwtBundleSource bundleSource,
        IEnumerable<string> audience,
        JwtSvidValidationOptions? options,
        [NotNullWhen(true)] out JwtSvid? svid,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(bundleSource);
        svid = Validate(token, bundleSource, CheckAudience(audience), CheckOptions(options), out error);
        return svid is not null;
    }

    /// <summary>
    /// Parses a JWT-SVID and checks every rule of <see cref="Parse"/> except the signature. Only for a token that
    /// came over a channel that already vouches for it (e.g. from the Workload API's ValidateJWTSVID, or to read a
    /// workload's own SVID); never to authenticate a peer.
    /// </summary>
    /// <exception cref="JwtSvidException">The token breaks a rule; the message names it.</exception>
    /// <exception cref="ArgumentException"><paramref name="audience"/> is empty, or the clock skew is negative.</exception>
    public static JwtSvid ParseInsecure(string token, IEnumerable<string> audience, JwtSvidValidationOptions? options = null) =>
        ParseCore(token, bundleSource: null, audience, options);

    /// <summary>Parses like <see cref="ParseInsecure"/>; on failure <paramref name="error"/> names the broken rule.</summary>
    public static bool TryParseInsecure(
        string token,
        IEnumerable<string> audience,
        JwtSvidValidationOptions? options,
        [NotNullWhen(true)] out JwtSvid? svid,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(token);
        svid = Validate(token, bundleSource: null, CheckAudience(audience), CheckOptions(options), out error);
        return svid is not null;
    }

    private static JwtSvid ParseCore(
        string token,
        IJwtBundleSource? bundleSource,
        IEnumerable<string> audience,
        JwtSvidValidationOptions? options)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Validate(token, bundleSource, CheckAudience(audience), CheckOptions(options), out string? error)
            ?? throw new JwtSvidException(error!);
    }

    // JWT-SVID App. A: validators configure at least one acceptable audience in advance; none is a caller's bug.
    private static IReadOnlyList<string> CheckAudience(IEnumerable<string> audience)
    {
        ArgumentNullException.ThrowIfNull(audience);
        var list = audience as IReadOnlyList<string> ?? [.. audience];
        if (list.Count == 0)
        {
            throw new ArgumentException("jwtsvid: at least one expected audience is required", nameof(audience));
        }

        foreach (var value in list)
        {
            ArgumentNullException.ThrowIfNull(value, nameof(audience));
        }

        return list;
    }

    private static JwtSvidValidationOptions CheckOptions(JwtSvidValidationOptions? options)
    {
        options ??= JwtSvidValidationOptions.Default;
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        if (options.ClockSkew < TimeSpan.Zero)
        {
            throw new ArgumentException("jwtsvid: the clock skew is negative", nameof(options));
        }

        return options;
    }
}
