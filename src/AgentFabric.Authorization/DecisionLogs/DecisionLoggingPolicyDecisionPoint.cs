using AgentFabric.Authorization.Bundles;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.DecisionLogs;

/// <summary>Wraps a decision point and logs each decision it makes (embedded or remote) as one
/// <see cref="DecisionLogEvent"/>; logging never delays or fails the decision.</summary>
public sealed class DecisionLoggingPolicyDecisionPoint : IPolicyDecisionPoint
{
    private readonly IPolicyDecisionPoint _inner;
    private readonly DecisionLogger _logger;
    private readonly IBundleRevisions? _revisions;
    private readonly TimeProvider _time;

    /// <summary>Logs the decisions of <paramref name="inner"/> to <paramref name="logger"/>, with the revisions of
    /// <paramref name="revisions"/>' bundles.</summary>
    public DecisionLoggingPolicyDecisionPoint(IPolicyDecisionPoint inner, DecisionLogger logger, IBundleRevisions? revisions = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(logger);
        _inner = inner;
        _logger = logger;
        _revisions = revisions;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task<PolicyDecision> DecideAsync(DecisionPath path, Value input, CancellationToken cancellationToken = default)
    {
        var decision = await _inner.DecideAsync(path, input, cancellationToken).ConfigureAwait(false);
        _logger.Log(new DecisionLogEvent
        {
            DecisionId = decision.DecisionId,
            Path = path.ToString(),
            Input = input,
            Result = decision.Result,
            Timestamp = _time.GetUtcNow(),
            Metrics = new Dictionary<string, long>(StringComparer.Ordinal) { ["timer_rego_query_eval_ns"] = decision.EvaluationTime.Ticks * 100 },
            Bundles = _revisions?.Revisions ?? new Dictionary<string, string>(),
            Labels = _logger.Labels,
        });
        return decision;
    }
}
