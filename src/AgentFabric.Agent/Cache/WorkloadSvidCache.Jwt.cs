using AgentFabric.Agent.Identity;
using AgentFabric.Spiffe.Svid.Jwt;

namespace AgentFabric.Agent.Cache;

/// <summary>JWT-SVIDs per (entry, audience): reused until half their lifetime, refreshed ahead of expiry while recently
/// used so that callers do not wait on the server, bounded by a hard LRU limit.</summary>
public sealed partial class WorkloadSvidCache
{
    private readonly Dictionary<string, CachedJwt> _jwt = new(StringComparer.Ordinal);

    /// <summary>How many JWT-SVIDs are cached.</summary>
    public int JwtCount
    {
        get
        {
            lock (_gate)
            {
                return _jwt.Count;
            }
        }
    }

    /// <summary>A JWT-SVID of <paramref name="entry"/> for <paramref name="audience"/>.</summary>
    /// <exception cref="JwtSvidException">The provider returned a token that is not a JWT-SVID for the entry.</exception>
    public async Task<JwtSvid> GetJwtSvidAsync(
        RegistrationEntry entry,
        IReadOnlyList<string> audience,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(audience);
        string key = JwtKey(entry, audience);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_jwt.TryGetValue(key, out var cached) && now < cached.RefreshAt)
            {
                cached.LastUsed = now;
                return cached.Svid;
            }
        }

        var svid = await MintAsync(entry, audience, cancellationToken).ConfigureAwait(false);
        StoreJwt(key, entry, audience, svid, now);
        return svid;
    }

    private async Task<JwtSvid> MintAsync(RegistrationEntry entry, IReadOnlyList<string> audience, CancellationToken cancellationToken)
    {
        string token = await _provider.MintJwtSvidAsync(entry, audience, cancellationToken).ConfigureAwait(false);
        var svid = JwtSvid.ParseInsecure(token, audience, new JwtSvidValidationOptions { TimeProvider = _time });
        return svid.Id == entry.SpiffeId
            ? svid
            : throw new JwtSvidException($"agent: the server minted a JWT-SVID for {svid.Id} for entry {entry.EntryId}");
    }

    private void StoreJwt(string key, RegistrationEntry entry, IReadOnlyList<string> audience, JwtSvid svid, DateTimeOffset lastUsed)
    {
        var issued = svid.IssuedAt ?? _time.GetUtcNow();
        lock (_gate)
        {
            _jwt[key] = new CachedJwt(entry, [.. audience], svid, issued + ((svid.Expiry - issued) / 2)) { LastUsed = lastUsed };
            // Hard limit: the least recently used token goes first.
            while (_jwt.Count > _options.JwtSvidCacheMaxSize)
            {
                _jwt.Remove(_jwt.MinBy(p => p.Value.LastUsed).Key);
            }
        }
    }

    private async Task RefreshJwtSvidsAsync(Dictionary<string, RegistrationEntry> entries, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        List<KeyValuePair<string, CachedJwt>> due;
        lock (_gate)
        {
            foreach (var gone in _jwt.Where(p => !entries.ContainsKey(p.Value.Entry.EntryId)).Select(p => p.Key).ToList())
            {
                _jwt.Remove(gone);
            }

            due = [.. _jwt.Where(p => now >= p.Value.RefreshAt && now - p.Value.LastUsed <= _options.JwtRecentUseWindow)];
        }

        foreach (var (key, cached) in due)
        {
            try
            {
                var entry = entries[cached.Entry.EntryId];
                var svid = await MintAsync(entry, cached.Audience, cancellationToken).ConfigureAwait(false);
                StoreJwt(key, entry, cached.Audience, svid, cached.LastUsed);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The cached token stays until the next attempt; a caller past its half life fetches directly.
            }
        }
    }

    private static string JwtKey(RegistrationEntry entry, IReadOnlyList<string> audience) =>
        entry.EntryId + "\n" + entry.SpiffeId + "\n" + string.Join('\n', audience);

    private sealed class CachedJwt(RegistrationEntry entry, string[] audience, JwtSvid svid, DateTimeOffset refreshAt)
    {
        public RegistrationEntry Entry { get; } = entry;

        public string[] Audience { get; } = audience;

        public JwtSvid Svid { get; } = svid;

        public DateTimeOffset RefreshAt { get; } = refreshAt;

        public DateTimeOffset LastUsed { get; set; }
    }
}
