using AgentFabric.Rego.Builtins;

namespace AgentFabric.Rego;

/// <summary>Engine-wide settings.</summary>
public sealed record RegoEngineOptions
{
    /// <summary>The builtins; defaults to <see cref="BuiltinCatalog.CreateDefault"/>. Frozen on first compile.</summary>
    public BuiltinRegistry? Builtins { get; init; }

    /// <summary>The clock for <c>time.now_ns</c> and time limits.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Limits applied to every evaluation unless overridden per call.</summary>
    public EvaluationLimits Limits { get; init; } = EvaluationLimits.Default;

    /// <summary>Whether builtin errors abort evaluation (OPA's strict-builtin-errors) instead of making the call undefined.</summary>
    public bool StrictBuiltinErrors { get; init; }

    /// <summary>OPA's compiler strict mode (<c>opa check --strict</c>): a local assigned with <c>:=</c> and never read
    /// fails compilation with <c>assigned var x unused</c>.</summary>
    public bool Strict { get; init; }

    /// <summary>Receives <c>print</c> output; null discards it.</summary>
    public Action<string>? Print { get; init; }
}
