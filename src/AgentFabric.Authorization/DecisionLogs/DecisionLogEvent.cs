using AgentFabric.Authorization.Input;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.DecisionLogs;

/// <summary>One decision in OPA's decision-log shape (OPA docs, "Decision Log Service API"): <c>decision_id</c>,
/// <c>path</c>, <c>input</c>, <c>result</c>, <c>timestamp</c> (RFC 3339 with nanoseconds), <c>metrics</c>,
/// <c>bundles</c>, <c>labels</c>, and after masking <c>erased</c>/<c>masked</c>.</summary>
public sealed record DecisionLogEvent
{
    /// <summary>The decision's id.</summary>
    public required string DecisionId { get; init; }

    /// <summary>The rule path, e.g. <c>agentfabric/authz/allow</c>.</summary>
    public required string Path { get; init; }

    /// <summary>The input (null when none was given).</summary>
    public Value? Input { get; init; }

    /// <summary>The result (null when undefined).</summary>
    public Value? Result { get; init; }

    /// <summary>When the decision was made.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>OPA metrics, e.g. <c>timer_rego_query_eval_ns</c>.</summary>
    public IReadOnlyDictionary<string, long> Metrics { get; init; } = new Dictionary<string, long>();

    /// <summary>Revisions of the active bundles by name.</summary>
    public IReadOnlyDictionary<string, string> Bundles { get; init; } = new Dictionary<string, string>();

    /// <summary>Labels identifying this instance (<c>id</c>, <c>version</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>JSON pointers masking erased.</summary>
    public IReadOnlyList<string> Erased { get; init; } = [];

    /// <summary>JSON pointers masking upserted.</summary>
    public IReadOnlyList<string> Masked { get; init; } = [];

    /// <summary>The event as a Rego value (the masking policy's input).</summary>
    public ObjectValue ToValue()
    {
        var b = new ObjectValue.Builder();
        b.Set("decision_id", DecisionId);
        b.Set("path", Path);
        if (Input is not null)
        {
            b.Set("input", Input);
        }

        if (Result is not null)
        {
            b.Set("result", Result);
        }

        b.Set("timestamp", Rfc3339.FormatNano(Timestamp));
        b.Set("labels", Map(Labels.Select(l => (l.Key, (Value)l.Value))));
        if (Metrics.Count > 0)
        {
            b.Set("metrics", Map(Metrics.Select(m => (m.Key, (Value)m.Value))));
        }

        if (Bundles.Count > 0)
        {
            b.Set("bundles", Map(Bundles.Select(r => (r.Key, (Value)ObjectValue.Create(("revision", r.Value))))));
        }

        if (Erased.Count > 0)
        {
            b.Set("erased", ArrayValue.CreateRange(Erased.Select(e => (Value)e)));
        }

        if (Masked.Count > 0)
        {
            b.Set("masked", ArrayValue.CreateRange(Masked.Select(e => (Value)e)));
        }

        return b.ToValue();
    }

    /// <summary>The event as one line of compact JSON.</summary>
    public string ToJson() => ToValue().ToJson();

    private static ObjectValue Map(IEnumerable<(string Key, Value Value)> entries)
    {
        var b = new ObjectValue.Builder();
        foreach (var (k, v) in entries)
        {
            b.Set(k, v);
        }

        return b.ToValue();
    }
}
