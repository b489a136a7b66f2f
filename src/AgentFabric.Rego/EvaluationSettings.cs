namespace AgentFabric.Rego;

/// <summary>Per-evaluation overrides of the engine's options.</summary>
public sealed record EvaluationSettings
{
    /// <summary>Limits for this evaluation.</summary>
    public EvaluationLimits? Limits { get; init; }

    /// <summary>Strict builtin errors for this evaluation.</summary>
    public bool? StrictBuiltinErrors { get; init; }

    /// <summary>The clock for this evaluation.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>The print sink for this evaluation.</summary>
    public Action<string>? Print { get; init; }
}
