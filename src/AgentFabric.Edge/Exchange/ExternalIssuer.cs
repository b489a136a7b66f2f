namespace AgentFabric.Edge.Exchange;

/// <summary>
/// An issuer whose access tokens the edge accepts as <c>subject_token</c> (the bridge from a legacy application's
/// token to an agent-bound one): its keys come from a JWKS URI, the <c>jwks_uri</c> of its discovery document (OIDC
/// Discovery §4), or a static JWKS file; tokens must be signed with one of <see cref="Algorithms"/> and carry
/// <see cref="Audience"/>.
/// </summary>
public sealed class ExternalIssuer
{
    /// <summary>Asymmetric JWS algorithms only (RFC 7518 §3.1): never <c>none</c> or an HMAC keyed with a public key.</summary>
    public static readonly IReadOnlySet<string> SupportedAlgorithms = new HashSet<string>(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    };

    /// <summary>The <c>iss</c> its tokens carry, compared exactly (RFC 7519 §4.1.1).</summary>
    public Uri? Issuer { get; set; }

    /// <summary>The JWKS URI; when neither it nor <see cref="JwksPath"/> is set, the discovery document names it.</summary>
    public Uri? JwksUri { get; set; }

    /// <summary>A JWKS file (RFC 7517 §5) read at start, instead of fetching keys.</summary>
    public string? JwksPath { get; set; }

    /// <summary>The audience a token must carry to be exchanged here (RFC 7519 §4.1.3).</summary>
    public string Audience { get; set; } = "";

    public IList<string> Algorithms { get; } = ["RS256", "ES256"];

    /// <summary>How long fetched keys are used before they are fetched again.</summary>
    public TimeSpan KeyCacheLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A token with an unknown <c>kid</c> refetches the keys at most this often (an attacker's made-up
    /// kids must not turn the edge into a load generator against the issuer).</summary>
    public TimeSpan MinimumRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    internal IEnumerable<string> Validate()
    {
        if (Issuer is null || !Issuer.IsAbsoluteUri || (Issuer.Scheme != Uri.UriSchemeHttps && Issuer.Scheme != Uri.UriSchemeHttp))
        {
            yield return $"edge: an external issuer needs an absolute http(s) issuer URL, not \"{Issuer}\"";
        }

        if (JwksUri is not null && JwksPath is not null)
        {
            yield return $"edge: external issuer {Issuer}: a JWKS URI or a JWKS file, not both";
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            yield return $"edge: external issuer {Issuer}: the audience its tokens must carry is required";
        }

        if (Algorithms.Count == 0)
        {
            yield return $"edge: external issuer {Issuer}: at least one algorithm is required";
        }

        foreach (var algorithm in Algorithms.Where(a => !SupportedAlgorithms.Contains(a)))
        {
            yield return $"edge: external issuer {Issuer}: algorithm \"{algorithm}\" is not allowed (asymmetric JWS algorithms only)";
        }

        if (KeyCacheLifetime <= TimeSpan.Zero || MinimumRefreshInterval < TimeSpan.Zero)
        {
            yield return $"edge: external issuer {Issuer}: the key cache lifetime must be positive and the refresh interval not negative";
        }
    }
}
