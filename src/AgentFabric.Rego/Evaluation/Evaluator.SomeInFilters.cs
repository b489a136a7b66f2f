using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;

namespace AgentFabric.Rego.Evaluation;

// `some p in xs` followed by filters such as `p.action == input.action`: the side that does not depend on the
// element (input paths, constants, variables bound before the loop) is evaluated once per loop, and each element
// is then tested by walking its own constant keys and one equality, without dispatching either term again.
internal sealed partial class Evaluator
{
    /// <summary>The filters right after a <c>some ... in</c> literal: for filter j, the element's constant keys
    /// (empty: the element itself), the term that is the same for every element, and whether it is <c>==</c> (else
    /// <c>!=</c>). <see cref="Count"/> is 0 when the literal after it is not such a filter.</summary>
    private sealed class SomeInFilterPlan(List<Expr> exprs, int next, Value[][] elementKeys, Term[] invariants, bool[] equal)
    {
        public readonly List<Expr> Exprs = exprs;
        public readonly int Next = next;
        public readonly Value[][] ElementKeys = elementKeys;
        public readonly Term[] Invariants = invariants;
        public readonly bool[] Equal = equal;

        /// <summary>Every filter is an equality: the elements that pass can be looked up (see ArrayFilterIndex).</summary>
        public readonly bool AllEqual = Array.TrueForAll(equal, e => e);

        public int Count => Invariants.Length;
    }

    // The plan depends only on the literals (immutable) and is kept on the `some` literal; a body seen through
    // another list (the rule's body without its guards) is planned again.
    private static SomeInFilterPlan FilterPlanOf(SomeInExpr si, List<Expr> exprs, int next, int vs, int ks)
    {
        if (si.FilterPlan is SomeInFilterPlan known && ReferenceEquals(known.Exprs, exprs) && known.Next == next)
        {
            return known;
        }

        var keys = new List<Value[]>();
        var invariants = new List<Term>();
        var equal = new List<bool>();
        for (var i = next; i < exprs.Count && invariants.Count < ArgBuffer.Length; i++)
        {
            if (exprs[i] is not TermExpr { With.Length: 0, CaptureIndex: < 0, Negated: false, Term: CallTerm c } ||
                c.Args.Length != 2 ||
                c.Target is not BuiltinCallTarget { Operator: InlineOperator.Equal or InlineOperator.NotEqual } op)
            {
                break;
            }

            var (elementSide, other) = ElementKeysOf(c.Args[0], vs) is { } k0 ? (k0, c.Args[1]) : (ElementKeysOf(c.Args[1], vs), c.Args[0]);
            if (elementSide is null || !IsLoopInvariant(other, vs, ks))
            {
                break;
            }

            keys.Add(elementSide);
            invariants.Add(other);
            equal.Add(op.Operator == InlineOperator.Equal);
        }

        var plan = new SomeInFilterPlan(exprs, next, [.. keys], [.. invariants], [.. equal]);
        si.FilterPlan = plan;
        return plan;
    }

    // `p` or `p.a.b` (constant keys) on the element's variable.
    private static Value[]? ElementKeysOf(Term t, int vs) => t switch
    {
        VarTerm { Slot: >= 0 } v when v.Slot == vs => [],
        RefTerm { Head: VarTerm { Slot: >= 0 } h } r when h.Slot == vs => ConstantKeys(r),
        _ => null,
    };

    // Terms whose value cannot change while the loop runs and whose evaluation cannot fail: the loop binds only
    // its own variables, and `with` (which could change input) never applies to these filters.
    private static bool IsLoopInvariant(Term t, int vs, int ks) => t switch
    {
        ScalarTerm => true,
        VarTerm { Slot: >= 0 } v => v.Slot != vs && v.Slot != ks,
        RefTerm { Head: VarTerm { Slot: SpecialSlots.Input } } r => ConstantKeys(r) is not null,
        RefTerm { Head: VarTerm { Slot: >= 0 } h } r => h.Slot != vs && h.Slot != ks && ConstantKeys(r) is not null,
        _ => false,
    };

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

        var plan = FilterPlanOf(si, exprs, next, ((VarTerm)si.Value).Slot, -1);
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

/// <summary>The loop-invariant values of a <c>some ... in</c> loop's filters (at most <see cref="ArgBuffer.Length"/>).</summary>
[System.Runtime.CompilerServices.InlineArray(ArgBuffer.Length)]
internal struct InvariantBuffer
{
    private Value? _element;
}
