namespace AgentFabric.Authorization.DecisionLogs;

/// <summary>Receives batches of masked decision-log events, each already serialised as one line of compact JSON. Called
/// from the logger's background loop only, one batch at a time; a sink that throws loses that batch (counted), never a
/// decision.</summary>
public interface IDecisionLogSink
{
    /// <summary>Writes one batch.</summary>
    Task WriteAsync(IReadOnlyList<string> events, CancellationToken cancellationToken);
}
