using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

/// <summary>The arguments of a builtin call evaluated directly (at most <see cref="Length"/>), on the stack.</summary>
[System.Runtime.CompilerServices.InlineArray(Length)]
internal struct ArgBuffer
{
    public const int Length = 4;

    private Value _element;
}
