using AgentFabric.Authorization.DecisionLogs;

namespace AgentFabric.PolicyServer.Observability;

/// <summary>OPA's <c>decision_logs.console=true</c>: each event as one JSON line on a writer (standard output).</summary>
internal sealed class ConsoleDecisionLogSink(TextWriter writer) : IDecisionLogSink
{
    public async Task WriteAsync(IReadOnlyList<string> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            await writer.WriteLineAsync(e.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
