namespace AgentFabric.Agent.Tests.Attestation;

/// <summary>A clock the test moves (we do not own the system clock).</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
