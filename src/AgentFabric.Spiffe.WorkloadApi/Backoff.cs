namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>Exponential backoff for reconnects (Workload Endpoint Appendix A: retry Unavailable and PermissionDenied
/// with a backoff), reset after a stream delivered an update.</summary>
internal sealed class Backoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public Backoff(TimeSpan initial, TimeSpan max)
    {
        _initial = initial;
        _max = max < initial ? initial : max;
        _next = initial;
    }

    public TimeSpan Next()
    {
        var current = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, _max.Ticks));
        return current;
    }

    public void Reset() => _next = _initial;
}
