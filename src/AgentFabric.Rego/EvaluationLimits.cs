namespace AgentFabric.Rego;

/// <summary>Resource limits of one evaluation, so a runaway policy cannot hang a request.</summary>
public sealed record EvaluationLimits
{
    /// <summary>No limits beyond cancellation.</summary>
    public static EvaluationLimits None { get; } = new() { MaxSteps = long.MaxValue, Timeout = System.Threading.Timeout.InfiniteTimeSpan, MaxOutputSize = int.MaxValue };

    /// <summary>Defaults suited to request-time authorization: 10 million steps, 5 seconds, 1 million result elements.</summary>
    public static EvaluationLimits Default { get; } = new();

    /// <summary>Maximum number of evaluation steps (literals evaluated).</summary>
    public long MaxSteps { get; init; } = 10_000_000;

    /// <summary>Maximum wall-clock time (measured with the engine's <see cref="TimeProvider"/>).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Maximum number of elements of a comprehension, partial rule or result set.</summary>
    public int MaxOutputSize { get; init; } = 1_000_000;
}
