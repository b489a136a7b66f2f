namespace AgentFabric.Cli.Tests.Policy;

/// <summary>A clock whose every reading is a fixed step after the previous one, so each timed test takes exactly
/// that step.</summary>
internal sealed class SteppingClock(TimeSpan step) : TimeProvider
{
    private long _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Add(ref _now, step.Ticks) - step.Ticks;
}
