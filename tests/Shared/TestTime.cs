using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace AgentFabric.Testing;

/// <summary>
/// Every test clock is Microsoft's <see cref="FakeTimeProvider"/> (we do not own the system clock): time stands still
/// until the test moves it (<c>Advance</c>, <c>SetUtcNow</c>, or <c>AdjustTime</c> to go back), and moving it fires at
/// once every timer and <c>Task.Delay(…, TimeProvider)</c> that became due. These helpers start it where tests need it;
/// the two subclasses below are the only variants, for a whole host under test.
/// </summary>
internal static class TestTime
{
    /// <summary>The wall clock's current whole second: JWT and certificate times have second precision, so a
    /// sub-second start would make a test depend on where in the second it happens to run.</summary>
    public static DateTimeOffset WholeSecondNow() => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    /// <summary>A fake clock started on the wall clock's current whole second.</summary>
    public static FakeTimeProvider StartingNow() => new(WholeSecondNow());

    /// <summary>A fake clock each reading of which (time or timestamp) is <paramref name="step"/> after the previous
    /// one, so each timed operation takes exactly that step.</summary>
    public static FakeTimeProvider Stepping(TimeSpan step) => new() { AutoAdvanceAmount = step };
}

/// <summary>
/// A fake clock whose timers run on the wall clock: a whole server under test keeps its background loops at their real
/// pace (a jump of the clock does not set them off mid-test) while the test moves the time its requests see.
/// </summary>
internal sealed class FakeTimeWithSystemTimers(DateTimeOffset start) : FakeTimeProvider(start)
{
    /// <summary>Started on the wall clock's current whole second.</summary>
    public FakeTimeWithSystemTimers()
        : this(TestTime.WholeSecondNow())
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, dueTime, period);
}

/// <summary>
/// A fake clock that also flows with the wall clock (a real timer advances it by the real time that passed, every few
/// milliseconds): sockets, TLS and gRPC run for real, and <c>Advance</c> jumps ahead, firing at once every timer and
/// delay that became due, so a test crosses an hour of certificate lifetimes in milliseconds. Timer callbacks run on
/// the thread pool, as the system's do, never on the thread that moved the clock.
/// </summary>
internal sealed class FlowingFakeTime : FakeTimeProvider, IDisposable
{
    private static readonly TimeSpan s_flowInterval = TimeSpan.FromMilliseconds(5);

    private readonly Lock _flowLock = new();
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly Timer _flow;
    private TimeSpan _flowed;

    public FlowingFakeTime()
        : base(DateTimeOffset.UtcNow) =>
        _flow = new Timer(_ => Flow(), null, s_flowInterval, s_flowInterval);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        base.CreateTimer(s => ThreadPool.UnsafeQueueUserWorkItem(callback.Invoke, s, preferLocal: false), state, dueTime, period);

    public void Dispose() => _flow.Dispose();

    private void Flow()
    {
        if (!_flowLock.TryEnter())
        {
            return; // the previous step is still running: it or the next one catches up
        }

        try
        {
            var wall = _wall.Elapsed;
            Advance(wall - _flowed);
            _flowed = wall;
        }
        finally
        {
            _flowLock.Exit();
        }
    }
}
