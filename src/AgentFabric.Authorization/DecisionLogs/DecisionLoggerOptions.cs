namespace AgentFabric.Authorization.DecisionLogs;

/// <summary>Buffering of <see cref="DecisionLogger"/> (OPA configuration, <c>decision_logs.reporting</c>).</summary>
public sealed record DecisionLoggerOptions
{
    /// <summary>Events held while sinks are busy; beyond this new events are dropped and counted (OPA's
    /// <c>buffer_size_limit_events</c>, default 10000).</summary>
    public int BufferSize { get; init; } = 10_000;

    /// <summary>Most events per batch handed to a sink.</summary>
    public int MaxBatchSize { get; init; } = 500;

    /// <summary>Labels added to every event (<c>id</c>, <c>version</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
