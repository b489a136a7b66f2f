using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

// `some p in xs` followed by filters such as `p.action == input.action` (planned by SomeInFilterPlan): the side that
// does not depend on the element (input paths, constants, variables bound before the loop) is evaluated once per
// loop, and each element is then tested by walking its own constant keys and one equality, without dispatching
// either term again.
internal sealed partial class Evaluator
{
    /// <summary>The loop-invariant sides of the plan's filters, evaluated once; false when one cannot be evaluated
    /// directly (a variable not bound yet), and the plan is then not used.</summary>
    private bool TryInvariants(Value?[] f, SomeInFilterPlan plan, Span<Value?> values)
    {
        for (var j = 0; j < plan.Count; j++)
        {
            if (!TryEvalDirect(f, plan.Invariants[j], out var v))
            {
                return false;
            }

            values[j] = v;
        }

        return true;
    }

    /// <summary><c>some x in data.p.s</c> (a partial set not computed yet) followed only by planned filters, when
    /// all the caller asks is whether the body has a solution (the caller checks that <paramref name="k"/> is the
    /// stop-at-first continuation and that the loop names no index): the set's rules are evaluated exactly as for the
    /// whole set (every solution, duplicates collapsed, the same limits and errors), but the members are tested as
    /// they were added, neither sorted nor made into a set value. Order cannot matter: the filters are plain
    /// comparisons and the first passing member ends the question. False when this does not apply; otherwise
    /// <paramref name="bodyResult"/> is what the body's evaluation returns (false: stopped at a solution).</summary>
    /// <remarks>The set is not cached, so a later reference computes it again: the same value, and nothing else is
    /// observable as long as no print output is collected (hence the condition on it).</remarks>
    private bool TryExistsInPartialSet(Value?[] f, SomeInExpr si, List<Expr> exprs, int next, Func<bool> k, out bool bodyResult)
    {
        bodyResult = true;
        if (_mocks is not null || _dataOverrides is not null || _ctx.Print is not null || next >= exprs.Count ||
            si.Collection is not RefTerm { Head: VarTerm { Slot: SpecialSlots.Data } } r)
        {
            return false;
        }

        var prefix = DataPrefix.Of(_policy, r);
        var node = prefix.Node;
        if (node is null || prefix.Index != r.Path.Length || node.Rules.Count == 0 || !IsMemberLookup(node))
        {
            return false;
        }

        var plan = SomeInFilterPlan.For(si, exprs, next, ((VarTerm)si.Value).Slot, -1);
        var invariants = default(InvariantBuffer);
        if (plan.Count == 0 || next + plan.Count != exprs.Count || !TryInvariants(f, plan, invariants))
        {
            return false;
        }

        EnterRule(node);
        var members = RentMembers();
        try
        {
            EvalLeafRules(node, members);
        }
        finally
        {
            _caches.Leave(node.Id);
        }

        Step();
        foreach (var member in members.Added)
        {
            Step();
            if (!EvalFilteredElement(f, member, plan, invariants, k))
            {
                // A solution: the continuation asked to stop.
                ReturnMembers(members);
                bodyResult = false;
                return true;
            }
        }

        ReturnMembers(members);
        return true;
    }

    // One element: each filter as EvalBody would take it (a step each, undefined fails), then the rest of the body.
    private bool EvalFilteredElement(Value?[] f, Value element, SomeInFilterPlan plan, ReadOnlySpan<Value?> invariants, Func<bool> k) =>
        !PassesFilters(element, plan, invariants) || EvalAfterFilters(f, plan, k);

    /// <summary>Whether the element passes every filter of the plan (a step each, as EvalBody would take them; an
    /// undefined side fails).</summary>
    private bool PassesFilters(Value element, SomeInFilterPlan plan, ReadOnlySpan<Value?> invariants)
    {
        var keys = plan.ElementKeys;
        var equal = plan.Equal;
        for (var j = 0; j < keys.Length && j < invariants.Length && j < equal.Length; j++)
        {
            Step();
            var e = LookupPath(element, keys[j]);
            var v = invariants[j];
            if (e is null || v is null || SameValue(e, v) != equal[j])
            {
                return false;
            }
        }

        return true;
    }

    // Filters mostly compare strings: those are told apart by their cached hashes before any text is compared.
    private static bool SameValue(Value a, Value b) => a is StringValue sa && b is StringValue sb
        ? ReferenceEquals(sa, sb) || (sa.Hash == sb.Hash && string.Equals(sa.Value, sb.Value))
        : a.Equals(b);

    // The literals after the filters, for an element that passed them.
    private bool EvalAfterFilters(Value?[] f, SomeInFilterPlan plan, Func<bool> k)
    {
        var rest = plan.Next + plan.Count;
        return rest == plan.Exprs.Count ? k() : EvalBody(f, plan.Exprs, rest, k);
    }
}
