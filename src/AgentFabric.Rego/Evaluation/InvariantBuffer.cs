using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

/// <summary>The loop-invariant values of a <c>some ... in</c> loop's filters (at most <see cref="ArgBuffer.Length"/>).</summary>
[System.Runtime.CompilerServices.InlineArray(ArgBuffer.Length)]
internal struct InvariantBuffer
{
    private Value? _element;
}
