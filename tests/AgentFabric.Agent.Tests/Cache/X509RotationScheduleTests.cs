using AgentFabric.Agent.Cache;

namespace AgentFabric.Agent.Tests.Cache;

/// <summary>The rotation instant from the request time, the (backdated) notBefore and notAfter, all in seconds from
/// the request.</summary>
public sealed class X509RotationScheduleTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    // 20 s TTL backdated 10 s: half life 10 s after the request, replaced 2 s ahead (not at 5 s, half of notBefore..notAfter).
    [InlineData(-10, 20, 2, 8)]
    // Without lead: exactly at the half life of the real lifetime.
    [InlineData(-10, 20, 0, 10)]
    // Not backdated: the same instant, the rule does not depend on how far the server backdates.
    [InlineData(0, 20, 2, 8)]
    // 1 h TTL: 30 min less the lead.
    [InlineData(-10, 3600, 2, 1798)]
    // Very short: the lead is capped at a quarter of the lifetime (4 s SVID: half life 2 s, replaced at 1 s).
    [InlineData(-10, 4, 2, 1)]
    [InlineData(-10, 1, 2, 0.25)]
    // Server clock 5 s ahead of ours: notBefore is after the request, the lifetime starts there (20 s).
    [InlineData(5, 25, 2, 13)]
    // Expired on arrival (server clock far behind): due at once.
    [InlineData(-40, -1, 2, 0)]
    [InlineData(-40, 0, 2, 0)]
    public void RotateAt(double notBefore, double notAfter, double lead, double expected) =>
        Assert.Equal(
            T + TimeSpan.FromSeconds(expected),
            X509RotationSchedule.RotateAt(T, T + TimeSpan.FromSeconds(notBefore), T + TimeSpan.FromSeconds(notAfter), TimeSpan.FromSeconds(lead)));
}
