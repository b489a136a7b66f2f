using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;

namespace AgentFabric.Rego.Evaluation;

/// <summary>The rules of a rule-tree node worth trying for one input, in source order: the candidates its
/// <see cref="RuleIndex"/> gives for the input, or every rule when there is no index (or the evaluator does not use
/// it). A struct enumerator: <c>foreach</c> over it allocates nothing.</summary>
internal struct RuleCandidates
{
    private readonly List<(Rule Rule, int PrefixLength)> _rules;
    private readonly int[]? _positions;
    private readonly int _count;
    private int _i;

    /// <param name="node">The node whose rules are tried.</param>
    /// <param name="positions">The positions of the rules to try (ascending), or null for all.</param>
    public RuleCandidates(RuleNode node, int[]? positions)
    {
        _rules = node.Rules;
        _positions = positions;
        _count = positions?.Length ?? node.Rules.Count;
        _i = -1;
    }

    public readonly Rule Current => _rules[_positions is null ? _i : _positions[_i]].Rule;

    public bool MoveNext() => ++_i < _count;

    public readonly RuleCandidates GetEnumerator() => this;
}
