using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Builtins;

namespace AgentFabric.Rego.Compilation;

// Rules whose value depends on the base data alone (no input, no `with`, no print, only deterministic builtins of
// the standard catalog, and only rules of that kind below them) give the same value in every evaluation of a
// compiled policy: the evaluator computes each once per policy and keeps it (Evaluator.NodeValue), as OPA's
// optimizing bundle build evaluates such rules ahead of time.
internal sealed partial class PolicyCompiler
{
    /// <summary>How many nodes got a <see cref="RuleNode.DataOnlyIndex"/>.</summary>
    public int DataOnlyCount { get; private set; }

    private void MarkDataOnly()
    {
        var known = new Dictionary<RuleNode, bool>();
        foreach (var node in AllNodes(_root))
        {
            if (node.Rules.Count > 0 && !node.IsFunction && IsDataOnly(node, known))
            {
                node.DataOnlyIndex = DataOnlyCount++;
            }
        }
    }

    // Post-order over the dependencies with an explicit stack, so a chain of 20,000 rules each using the next does
    // not overflow the thread's stack. The dependency graph has no cycles (CheckRecursion ran first), so a node met
    // again is already known.
    private bool IsDataOnly(RuleNode start, Dictionary<RuleNode, bool> known)
    {
        if (known.TryGetValue(start, out var answer))
        {
            return answer;
        }

        var pending = new Stack<(RuleNode Node, IEnumerator<RuleNode> Deps)>();
        pending.Push((start, DependenciesOf(start).GetEnumerator()));
        while (pending.Count > 0)
        {
            var (node, deps) = pending.Peek();
            if (deps.MoveNext())
            {
                if (!known.ContainsKey(deps.Current))
                {
                    pending.Push((deps.Current, DependenciesOf(deps.Current).GetEnumerator()));
                }

                continue;
            }

            pending.Pop().Deps.Dispose();
            known[node] = RulesOf(node).All(IsSelfContained) && DependenciesOf(node).All(d => known[d]);
        }

        return known[start];
    }

    private IEnumerable<RuleNode> DependenciesOf(RuleNode node) =>
        _dependencies.TryGetValue(node, out var deps) ? deps : [];

    private static IEnumerable<Rule> RulesOf(RuleNode node)
    {
        var rules = node.Rules.Select(r => r.Rule).Concat(node.Functions);
        if (node.Default is not null)
        {
            rules = rules.Append(node.Default);
        }

        return node.DefaultFunction is not null ? rules.Append(node.DefaultFunction) : rules;
    }

    // A rule (with its else branches) that reads neither input nor anything an evaluation can change.
    private bool IsSelfContained(Rule rule)
    {
        var contained = true;
        for (var r = rule; r is not null && contained; r = r.Else)
        {
            StrictChecks.VisitRule(r, t => contained &= IsSelfContained(t), e => contained &= e.With.Length == 0);
        }

        return contained;
    }

    private bool IsSelfContained(Term t) => t switch
    {
        VarTerm { Slot: SpecialSlots.Input } => false,
        _ when ReachesAnyRule(t) => false,
        CallTerm { Target: BuiltinCallTarget b } => IsStandardDeterministic(b),
        CallTerm { Target: FunctionCallTarget } => true,
        CallTerm => false,
        _ => true,
    };

    // A reference into data with a computed first key may reach any rule: the dependencies do not follow it.
    private static bool ReachesAnyRule(Term t) => t is RefTerm { Head: VarTerm { Slot: SpecialSlots.Data }, Path: [not ScalarTerm, ..] };

    // A builtin registered by the embedding application may read anything: only the catalog's own deterministic
    // builtins (not the evaluator's special ones, such as print) are trusted to depend on their arguments alone.
    private static bool IsStandardDeterministic(BuiltinCallTarget call) =>
        !call.IsSpecial &&
        (call.Builtin.Flags & (BuiltinFlags.Nondeterministic | BuiltinFlags.ReadsClock)) == 0 &&
        BuiltinCatalog.Standard.TryGet(call.Builtin.Name, out var standard) &&
        standard.Function.Equals(call.Builtin.Function);
}
