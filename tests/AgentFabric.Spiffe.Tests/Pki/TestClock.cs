namespace AgentFabric.Spiffe.Tests.Pki;

/// <summary>The fixed "now" of every test, well inside the default validity windows of test certificates.</summary>
internal static class TestClock
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static TimeProvider Provider { get; } = new FixedTimeProvider(Now);

    public static TimeProvider At(DateTimeOffset now) => new FixedTimeProvider(now);

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
