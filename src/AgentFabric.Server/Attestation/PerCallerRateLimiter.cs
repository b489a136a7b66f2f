using System.Collections.Concurrent;

namespace AgentFabric.Server.Attestation;

/// <summary>
/// A token bucket per caller (by IP, as SPIRE limits: 1 attestation/s, 500 signings/s), so one noisy node cannot
/// starve the others. The bucket holds one second's worth of requests.
/// </summary>
public sealed class PerCallerRateLimiter
{
    private readonly double _perSecond;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public PerCallerRateLimiter(int perSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        _perSecond = perSecond;
        _time = time;
    }

    /// <summary>Takes <paramref name="count"/> tokens for <paramref name="caller"/>; false when over the limit.</summary>
    public bool TryAcquire(string caller, int count = 1)
    {
        var now = _time.GetTimestamp();
        var bucket = _buckets.GetOrAdd(caller, _ => new Bucket(_perSecond, now));
        lock (bucket)
        {
            var elapsed = _time.GetElapsedTime(bucket.Last, now).TotalSeconds;
            bucket.Tokens = Math.Min(_perSecond, bucket.Tokens + (elapsed * _perSecond));
            bucket.Last = now;
            if (bucket.Tokens < count)
            {
                return false;
            }

            bucket.Tokens -= count;
            return true;
        }
    }

    private sealed class Bucket(double tokens, long last)
    {
        public double Tokens = tokens;
        public long Last = last;
    }
}
