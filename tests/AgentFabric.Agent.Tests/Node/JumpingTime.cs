using System.Diagnostics;

namespace AgentFabric.Agent.Tests.Node;

/// <summary>
/// Real time plus an offset the test moves forward: time keeps flowing (sockets, TLS and gRPC run for real), and a
/// jump fires at once every timer and delay created through this provider that is due by the new time. Lets a test
/// cross an hour of certificate lifetimes in milliseconds.
/// </summary>
internal sealed class JumpingTime : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<JumpingTimer> _timers = [];
    private long _offsetTicks;

    private TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public override long GetTimestamp() => System.GetTimestamp() + (long)(Offset.TotalSeconds * Stopwatch.Frequency);

    public override long TimestampFrequency => Stopwatch.Frequency;

    /// <summary>Moves the clock forward and wakes what became due.</summary>
    public void Jump(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
        JumpingTimer[] timers;
        lock (_lock)
        {
            timers = [.. _timers];
        }

        foreach (var timer in timers)
        {
            timer.Reschedule();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new JumpingTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    private void Remove(JumpingTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    /// <summary>Due at a moment of the provider's clock; a real timer wakes it at the right moment or at a jump.</summary>
    private sealed class JumpingTimer : ITimer
    {
        private readonly JumpingTime _owner;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly Timer _real;
        private readonly Lock _lock = new();
        private DateTimeOffset? _dueAt;
        private TimeSpan _period;
        private bool _disposed;

        public JumpingTimer(JumpingTime owner, TimerCallback callback, object? state)
        {
            _owner = owner;
            _callback = callback;
            _state = state;
            _real = new Timer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                if (_disposed)
                {
                    return false;
                }

                _period = period;
                _dueAt = dueTime == Timeout.InfiniteTimeSpan ? null : _owner.GetUtcNow() + dueTime;
            }

            Reschedule();
            return true;
        }

        public void Reschedule()
        {
            lock (_lock)
            {
                if (_disposed)
                {
                    return;
                }

                if (_dueAt is not { } due)
                {
                    _real.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    return;
                }

                var remaining = due - _owner.GetUtcNow();
                _real.Change(remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining, Timeout.InfiniteTimeSpan);
            }
        }

        private void Fire()
        {
            lock (_lock)
            {
                if (_disposed || _dueAt is not { } due)
                {
                    return;
                }

                var now = _owner.GetUtcNow();
                if (now < due)
                {
                    // Woken early (rescheduled meanwhile): wait for the rest.
                    _real.Change(due - now, Timeout.InfiniteTimeSpan);
                    return;
                }

                _dueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : now + _period;
            }

            Reschedule();
            _callback(_state);
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
            }

            _owner.Remove(this);
            _real.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
