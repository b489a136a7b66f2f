using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

/// <summary>The value of a rule on base data alone, kept by its <see cref="CompiledPolicy"/> for later evaluations
/// (see Evaluator.NodeValue), with what computing it took: the steps, counted again by each evaluation that reuses
/// it, and the output size limit it was computed under.</summary>
/// <param name="Value">The value; null when the rule is undefined.</param>
/// <param name="Steps">The evaluation steps computing it took.</param>
/// <param name="MaxOutputSize">The output size limit in force then: every collection built was within it.</param>
/// <param name="StrictErrors">Whether builtin errors were raised (else they made expressions undefined).</param>
internal sealed record DataOnlyValue(Value? Value, long Steps, int MaxOutputSize, bool StrictErrors)
{
    /// <summary>Whether an evaluation may reuse the value: computing it again would stay within the output size
    /// limit and treat builtin errors the same way (the steps are charged by the evaluation itself).</summary>
    public bool Fits(EvaluationLimits limits, bool strictErrors) => MaxOutputSize <= limits.MaxOutputSize && StrictErrors == strictErrors;

    /// <summary>Whether this value can stand in for <paramref name="known"/>: it fits every evaluation that one
    /// fits, and more.</summary>
    public bool Widens(DataOnlyValue known) => StrictErrors == known.StrictErrors && MaxOutputSize < known.MaxOutputSize;
}
