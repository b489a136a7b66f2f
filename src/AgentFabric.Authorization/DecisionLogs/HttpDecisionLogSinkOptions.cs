namespace AgentFabric.Authorization.DecisionLogs;

/// <summary>Upload settings of <see cref="HttpDecisionLogSink"/> (OPA configuration, <c>decision_logs.reporting</c>).</summary>
public sealed record HttpDecisionLogSinkOptions
{
    /// <summary>Attempts per batch before it is given up (counted as failed).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Delay after the first failure; doubled after each further one.</summary>
    public TimeSpan MinRetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay between attempts.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one upload may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}
