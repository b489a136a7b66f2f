using Microsoft.Extensions.Time.Testing;

namespace AgentFabric.Spiffe.Tests.Pki;

/// <summary>The fixed "now" of every test, well inside the default validity windows of test certificates.</summary>
internal static class TestClock
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Stands at <see cref="Now"/>: shared, so nothing may move it.</summary>
    public static TimeProvider Provider { get; } = new FakeTimeProvider(Now);

    public static TimeProvider At(DateTimeOffset now) => new FakeTimeProvider(now);
}
