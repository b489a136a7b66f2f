using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization;

/// <summary>Decides in process with the native Rego engine, against whatever policy <see cref="PolicyStore"/> holds
/// when the call starts (bundle activation swaps it atomically; a decision in flight finishes on the old one).</summary>
public sealed class EmbeddedPolicyDecisionPoint : IPolicyDecisionPoint
{
    private readonly PolicyStore _store;
    private readonly TimeProvider _time;
    private readonly Func<string> _newDecisionId;

    /// <summary>A PDP over <paramref name="store"/>.</summary>
    public EmbeddedPolicyDecisionPoint(PolicyStore store, TimeProvider? timeProvider = null, Func<string>? newDecisionId = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        _newDecisionId = newDecisionId ?? PolicyDecisionPointOptions.NewUuid;
    }

    /// <inheritdoc />
    public Task<PolicyDecision> DecideAsync(DecisionPath path, Value input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(input);
        var start = _time.GetTimestamp();
        QueryResult result;
        try
        {
            result = _store.Prepare(path.RegoReference).Evaluate(input, cancellationToken);
        }
        catch (RegoException e)
        {
            throw new PolicyEvaluationException(path, e);
        }

        var elapsed = _time.GetElapsedTime(start);
        return Task.FromResult(new PolicyDecision(path, result.Value, _newDecisionId(), elapsed));
    }
}
