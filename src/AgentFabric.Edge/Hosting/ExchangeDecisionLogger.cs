using AgentFabric.Authorization.DecisionLogs;

namespace AgentFabric.Edge.Hosting;

/// <summary>The exchange decisions' logger when there is a sink (null otherwise); the container disposes it on stop,
/// which writes the events still buffered.</summary>
internal sealed class ExchangeDecisionLogger(DecisionLogger? logger) : IAsyncDisposable
{
    public DecisionLogger? Logger { get; } = logger;

    public ValueTask DisposeAsync() => Logger?.DisposeAsync() ?? ValueTask.CompletedTask;
}
