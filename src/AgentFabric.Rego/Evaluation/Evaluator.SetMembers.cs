using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

// `x in partial_set` and `partial_set[x]` without computing the whole set.
internal sealed partial class Evaluator
{
    /// <summary>Whether <paramref name="member"/> is in the partial set at <paramref name="node"/>: each rule is
    /// evaluated with its member term unified with it (cached for the scope).</summary>
    private bool IsSetMember(RuleNode node, Value member)
    {
        var cache = _caches.Members;
        if (cache.TryGetValue(node.Id, member, out var known))
        {
            return known;
        }

        EnterRule(node);
        var found = false;
        try
        {
            var guards = default(RuleGuards);
            foreach (var rule in CandidateRules(node))
            {
                if (found)
                {
                    break;
                }

                if (!GuardsPass(rule, ref guards))
                {
                    continue;
                }

                var frame = RentFrame(rule.SlotCount);
                try
                {
                    if (rule.Key is VarTerm { Slot: >= 0 } kv)
                    {
                        Bind(frame, kv.Slot, member);
                        var direct = TryBodyDirect(frame, BodyAfterGuards(rule));
                        if (direct != DirectBody.NotDirect)
                        {
                            found = direct == DirectBody.Succeeded;
                            continue;
                        }

                        Array.Clear(frame);
                    }

                    found = MemberHasSolution(frame, rule, member);
                }
                finally
                {
                    ReturnFrame(frame);
                }
            }
        }
        finally
        {
            _caches.Leave(node.Id);
        }

        cache.Add(node.Id, member, found);
        return found;
    }

    // The general path of IsSetMember for one rule (kept apart so the direct path allocates no closure).
    private bool MemberHasSolution(Value?[] frame, Rule rule, Value member)
    {
        var found = false;
        UnifyValue(frame, rule.Key!, member, () =>
        {
            found = HasSolution(frame, BodyAfterGuards(rule));
            return !found;
        });
        return found;
    }

    // A partial set whose members can be tested one at a time: every rule's member term is a variable or constant,
    // and the whole set is not already computed in this scope.
    private bool IsMemberLookup(RuleNode node)
    {
        // The rules' part never changes: worked out once per node.
        var shape = node.MemberLookupShape;
        if (shape == 0)
        {
            shape = node.IsSimpleLeaf && node.Rules[0].Rule.Kind == RuleKind.MultiValue &&
                node.Rules.TrueForAll(r => r.Rule.Key is VarTerm { Slot: >= 0 } or ScalarTerm) ? (byte)1 : (byte)2;
            node.MemberLookupShape = shape;
        }

        // A rule on data alone is looked up in its value, kept for the policy (see NodeValue).
        return shape == 1 && _dataOverrides is null && node.DataOnlyIndex < 0 && !_caches.HasNode(node.Id) && BaseOf(node) is null;
    }

    // The value of a reference operand when it is known without enumeration.
    private Value? GroundKey(Value?[] f, Term t) => t switch
    {
        ScalarTerm s => s.Value,
        VarTerm { Slot: >= 0 } v => f[v.Slot],
        _ when TryEvalDirect(f, t, out var v) => v,
        _ => null,
    };
}
