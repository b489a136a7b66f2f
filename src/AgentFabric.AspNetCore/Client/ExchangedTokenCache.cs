using System.Collections.Concurrent;

namespace AgentFabric.AspNetCore;

/// <summary>An access token from an exchange and when it expires.</summary>
internal sealed record CachedAccessToken(string AccessToken, DateTimeOffset Expiry);

/// <summary>
/// Exchanged tokens per (subject token, target, scope), kept until <c>refreshBefore</c> ahead of their expiry. Single
/// flight: concurrent callers for one key share one exchange; a failed exchange is not cached (the next call asks
/// again). Bounded: when full, expired and failed entries are swept, and if it is still full the token is fetched but
/// not kept (correct, only slower).
/// </summary>
internal sealed class ExchangedTokenCache(TimeProvider timeProvider, int maxEntries = 10_000)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<CachedAccessToken>>> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>The cached token for <paramref name="key"/>, or the result of one shared call of
    /// <paramref name="exchange"/>. <paramref name="cancellationToken"/> stops this caller's wait, not the shared exchange.</summary>
    public async Task<CachedAccessToken> GetAsync(string key, Func<Task<CachedAccessToken>> exchange, TimeSpan refreshBefore, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                var created = new Lazy<Task<CachedAccessToken>>(exchange, LazyThreadSafetyMode.ExecutionAndPublication);
                if (_entries.Count >= maxEntries && !Sweep())
                {
                    return await created.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                entry = _entries.GetOrAdd(key, created);
            }

            var task = entry.Value;
            CachedAccessToken token;
            try
            {
                token = await task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (task.IsFaulted || task.IsCanceled)
            {
                _entries.TryRemove(KeyValuePair.Create(key, entry));
                throw;
            }

            var now = timeProvider.GetUtcNow();
            if (attempt > 0 || now < token.Expiry - refreshBefore)
            {
                // Fresh; or just exchanged again (a token shorter-lived than the refresh margin is used as it is,
                // never re-exchanged in a loop).
                return token;
            }

            // Stale: drop exactly this entry (a concurrent caller may already have replaced it) and exchange again.
            _entries.TryRemove(KeyValuePair.Create(key, entry));
        }
    }

    /// <summary>Removes expired and failed entries; true when there is room afterwards.</summary>
    private bool Sweep()
    {
        var now = timeProvider.GetUtcNow();
        foreach (var (key, entry) in _entries)
        {
            if (entry.IsValueCreated && entry.Value.IsCompleted
                && (!entry.Value.IsCompletedSuccessfully || entry.Value.Result.Expiry <= now))
            {
                _entries.TryRemove(KeyValuePair.Create(key, entry));
            }
        }

        return _entries.Count < maxEntries;
    }
}
