using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;

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
}
