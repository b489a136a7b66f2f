namespace AgentFabric.AspNetCore;

/// <summary>Settings of a SPIFFE <see cref="HttpClient"/>.</summary>
public sealed class SpiffeHttpClientOptions
{
    /// <summary>Exchange the user token of the current request (or the one set with
    /// <see cref="SpiffeRequestOptions.SubjectToken"/>) for a token addressed to the target, at the edge (RFC 8693).
    /// On by default; off sends only the mTLS identity.</summary>
    public bool ExchangeUserToken { get; set; } = true;

    /// <summary>Fail the call (<see cref="TokenExchangeException"/>) when there is no user token to exchange, instead
    /// of calling with the workload identity alone.</summary>
    public bool RequireUserToken { get; set; }

    /// <summary>The scope to ask for (RFC 8693 §2.1, only narrows); null keeps the subject token's scopes.</summary>
    public string? Scope { get; set; }

    /// <summary>How long before its expiry a cached exchanged token is replaced.</summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a pooled connection lives at most; each new connection presents the SVID in force then, and
    /// no connection lives past the expiry of the SVID it presented, whatever this says.</summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
