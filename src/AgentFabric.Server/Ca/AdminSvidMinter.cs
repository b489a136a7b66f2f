using AgentFabric.Server.Registration;
using AgentFabric.Server.Telemetry;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Ca;

/// <summary>
/// Mints SVIDs an admin asks for by SPIFFE ID, with no registration entry behind them (SPIRE's <c>x509 mint</c> and
/// <c>jwt mint</c>, the SVID API's MintX509SVID and MintJWTSVID). The ID must be in our trust domain; the lifetime is
/// the request's (the server default when 0) and never outlives the signing CA or JWT key.
/// </summary>
public sealed class AdminSvidMinter
{
    private readonly X509Ca _ca;
    private readonly JwtSvidMinter _jwt;
    private readonly TimeSpan _defaultX509Ttl;
    private readonly TimeSpan _defaultJwtTtl;
    private readonly ServerMetrics? _metrics;

    public AdminSvidMinter(X509Ca ca, JwtSvidMinter jwt, TimeSpan defaultX509Ttl, TimeSpan defaultJwtTtl, ServerMetrics? metrics)
    {
        _ca = ca;
        _jwt = jwt;
        _defaultX509Ttl = defaultX509Ttl;
        _defaultJwtTtl = defaultJwtTtl;
        _metrics = metrics;
    }

    /// <summary>Signs an X.509-SVID for <paramref name="spiffeId"/> over the CSR's key (its signature checked).</summary>
    /// <exception cref="CaException">A bad SPIFFE ID, a foreign trust domain, a bad DNS name, a negative TTL or a
    /// CSR that does not verify.</exception>
    public IssuedX509Svid MintX509(ReadOnlySpan<byte> csr, string spiffeId, IReadOnlyList<string> dnsNames, int ttlSeconds)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        var id = MemberId(spiffeId);
        var ttl = Ttl(ttlSeconds, _defaultX509Ttl);
        foreach (var dns in dnsNames)
        {
            // X509-SVID §4.1 allows DNS SANs beside the URI SAN; they must be host names (RFC 5280 §4.2.1.6).
            if (!EntryValidator.IsDnsName(dns))
            {
                throw new CaException($"ca: DNS name \"{dns}\" is not valid");
            }
        }

        var svid = _ca.SignCsr(csr, id, dnsNames, ttl);
        _metrics?.SvidIssued("x509");
        return svid;
    }

    /// <summary>Mints a JWT-SVID for <paramref name="spiffeId"/> with <paramref name="audience"/>.</summary>
    /// <exception cref="CaException">A bad SPIFFE ID, a foreign trust domain, no audience or a negative TTL.</exception>
    public (SpiffeId Id, string Token, DateTimeOffset Expiry) MintJwt(string spiffeId, IReadOnlyList<string> audience, int ttlSeconds)
    {
        ArgumentNullException.ThrowIfNull(audience);
        var id = MemberId(spiffeId);
        var ttl = Ttl(ttlSeconds, _defaultJwtTtl);
        var (token, expiry) = _jwt.Mint(id, audience, ttl);
        _metrics?.SvidIssued("jwt");
        return (id, token, expiry);
    }

    private SpiffeId MemberId(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new CaException("ca: a SPIFFE ID is required");
        }

        if (!SpiffeId.TryParse(text, out var id, out var error))
        {
            throw new CaException($"ca: \"{text}\" is not a SPIFFE ID: {error}");
        }

        // X509-SVID §3 / JWT-SVID §2: the server signs only identities of its own trust domain.
        if (!id.IsMemberOf(_ca.TrustDomain))
        {
            throw new CaException($"ca: SPIFFE ID \"{id}\" is not a member of trust domain \"{_ca.TrustDomain}\"");
        }

        // SPIFFE ID §2.2: an ID without a path names the trust domain itself, not a workload.
        if (id.Path.Length == 0)
        {
            throw new CaException($"ca: SPIFFE ID \"{id}\" names the trust domain, not a workload; add a path");
        }

        return id;
    }

    private static TimeSpan Ttl(int seconds, TimeSpan fallback) => seconds switch
    {
        < 0 => throw new CaException($"ca: TTL must not be negative, got {seconds} s"),
        0 => fallback,
        _ => TimeSpan.FromSeconds(seconds),
    };
}
