using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

// Which rules of a node are tried for this input: the rule index's candidates (RuleCandidates.cs), and of those the
// rules whose input guards hold (RuleGuards.cs). Mocks could replace `==`, so they switch both off.
internal sealed partial class Evaluator
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private RuleCandidates CandidateRules(RuleNode node) => new(node, _mocks is null ? node.Index?.Candidates(_input) : null);

    /// <summary>Whether a rule's guards hold (always, with mocks); <paramref name="guards"/> is a local of the loop
    /// over one node's rules.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool GuardsPass(Rule rule, ref RuleGuards guards) => _mocks is not null || guards.Pass(rule, _input);

    /// <summary>The literals of a rule's body still to evaluate once <see cref="GuardsPass"/> said yes (every
    /// literal with mocks).</summary>
    private List<Expr> BodyAfterGuards(Rule rule) => _mocks is not null ? rule.Body.Exprs : RuleGuards.BodyAfter(rule);
}
