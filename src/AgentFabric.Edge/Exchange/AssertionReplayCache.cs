using System.Collections.Concurrent;

namespace AgentFabric.Edge.Exchange;

/// <summary>
/// Client assertion <c>jti</c>s seen within their lifetime (RFC 7523 §3 item 7, which the SPIFFE client
/// authentication draft profiles): the second use of one is a replay. Entries leave once their token expired.
/// </summary>
public sealed class AssertionReplayCache(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private long _nextSweep;

    /// <summary>True the first time a (subject, jti) pair is presented; false for a replay.</summary>
    public bool TryUse(string subject, string jti, DateTimeOffset expiry)
    {
        var now = timeProvider.GetUtcNow();
        Sweep(now);
        return _seen.TryAdd(subject + " " + jti, expiry);
    }

    private void Sweep(DateTimeOffset now)
    {
        var next = Interlocked.Read(ref _nextSweep);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextSweep, now.AddSeconds(30).UtcTicks, next) != next)
        {
            return;
        }

        foreach (var (key, expiry) in _seen)
        {
            if (expiry < now)
            {
                _seen.TryRemove(key, out _);
            }
        }
    }
}
