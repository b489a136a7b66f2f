using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

// `some ... in xs`: each element of a collection, through unification or (fresh variables) direct binding.
internal sealed partial class Evaluator
{
    private bool EvalSomeIn(Value?[] f, SomeInExpr si, Value collection, Func<bool> k)
    {
        var inner = k;
        k = () =>
        {
            Step();
            return inner();
        };
        if (!Elements(collection, out var items, out var keys))
        {
            return true;
        }

        for (var j = 0; j < items.Length; j++)
        {
            var item = items[j];
            var key = si.Key is null ? null : KeyAt(keys, j);
            var r = key is null
                ? UnifyValue(f, si.Value, item, k)
                : UnifyValue(f, si.Key!, key, () => UnifyValue(f, si.Value, item, k));
            if (!r)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The elements of a collection and what their keys come from: an object's keys, a set's members (each
    /// its own key), or nothing for an array (see <see cref="KeyAt"/>). False for a scalar, which has no elements.</summary>
    private static bool Elements(Value collection, out ReadOnlySpan<Value> items, out ReadOnlySpan<Value> keys)
    {
        switch (collection)
        {
            case ArrayValue a:
                items = a.Items;
                keys = default;
                return true;
            case ObjectValue o:
                items = o.Values;
                keys = o.Keys;
                return true;
            case SetValue s:
                items = s.Items;
                keys = s.Items;
                return true;
            default:
                items = default;
                keys = default;
                return false;
        }
    }

    // The key of element j: from the keys Elements gave, or an array position (made only when asked for).
    private static Value KeyAt(ReadOnlySpan<Value> keys, int j) => keys.IsEmpty ? NumberValue.Create(j) : keys[j];

    // `some v in xs` / `some k, v in xs` binding fresh variables: each element, then the rest of the body.
    private bool EvalSomeInDirect(Value?[] f, SomeInExpr si, Value collection, List<Expr> exprs, int next, Func<bool> k)
    {
        var vs = ((VarTerm)si.Value).Slot;
        var ks = si.Key is VarTerm kv ? kv.Slot : -1;
        if (next == exprs.Count && ReferenceEquals(k, _collectLeaf) && _leaf.Members is not null &&
            ReferenceEquals(f, _leaf.Frame) && _leaf.Output is VarTerm { Slot: var output } && output == vs)
        {
            // `s contains x if { ...; some x in xs }`: every element is a member, added as it is.
            return CollectElements(collection);
        }

        // The literal right after is usually a filter (`x.action == input.action`): tested here for each element,
        // most elements are rejected without entering the rest of the body.
        var filter = next < exprs.Count && exprs[next] is TermExpr { With.Length: 0, CaptureIndex: < 0 } te ? te : null;

        // Equality filters on the element's fields against values fixed for the loop: planned once (SomeInFilterPlan),
        // their fixed sides evaluated once here (Evaluator.SomeInFilters.cs).
        SomeInFilterPlan? plan = null;
        var invariants = default(InvariantBuffer);
        if (filter is not null && _mocks is null && SomeInFilterPlan.For(si, exprs, next, vs, ks) is { Count: > 0 } p && TryInvariants(f, p, invariants))
        {
            plan = p;
        }

        try
        {
            return EachElement(f, collection, vs, ks, filter, plan, invariants, exprs, next, k);
        }
        finally
        {
            f[vs] = null;
            if (ks >= 0)
            {
                f[ks] = null;
            }
        }
    }

    // The elements of a collection as members of the partial set being collected (see EvalLeafRule), a step each,
    // exactly as if each had gone through the body's continuation.
    private bool CollectElements(Value collection)
    {
        Elements(collection, out var items, out _);
        foreach (var item in items)
        {
            Step();
            if (!AddLeafSolution(item))
            {
                return false;
            }
        }

        return true;
    }

    // Each element: bound, tested against the planned filters when there is a plan (Evaluator.SomeInFilters.cs;
    // an element that fails them is not bound), then the rest of the body. Kept apart from EvalSomeInDirect: one
    // method holding the setup and the loops spills most of its locals, which costs more per element than the work.
    private bool EachElement(Value?[] f, Value collection, int vs, int ks, TermExpr? filter, SomeInFilterPlan? plan, ReadOnlySpan<Value?> invariants, List<Expr> exprs, int next, Func<bool> k)
    {
        if (plan is { AllEqual: true } && collection is ArrayValue { Count: >= ArrayFilterIndex.MinLength } a && ArrayFilterIndex.For(a, plan.ElementKeys) is { } index)
        {
            return EachIndexedElement(f, a, index, vs, ks, plan, invariants, k);
        }

        if (!Elements(collection, out var items, out var keys))
        {
            return true;
        }

        for (var j = 0; j < items.Length; j++)
        {
            Step();
            var key = ks < 0 ? null : KeyAt(keys, j);
            if (!EvalOneElement(f, key, items[j], vs, ks, filter, plan, invariants, exprs, next, k))
            {
                return false;
            }
        }

        return true;
    }

    private bool EvalOneElement(Value?[] f, Value? key, Value item, int vs, int ks, TermExpr? filter, SomeInFilterPlan? plan, ReadOnlySpan<Value?> invariants, List<Expr> exprs, int next, Func<bool> k)
    {
        if (plan is not null && !PassesFilters(item, plan, invariants))
        {
            return true;
        }

        if (ks >= 0)
        {
            Bind(f, ks, key!);
        }

        Bind(f, vs, item);
        return plan is null ? EvalElement(f, filter, exprs, next, k) : EvalAfterFilters(f, plan, k);
    }

    // The elements of an indexed array that pass the filters, found by their values: a step for the lookup and
    // one per element found, as each goes on to the rest of the body.
    private bool EachIndexedElement(Value?[] f, ArrayValue a, ArrayFilterIndex index, int vs, int ks, SomeInFilterPlan plan, ReadOnlySpan<Value?> invariants, Func<bool> k)
    {
        Step();
        invariants = invariants[..plan.Count];
        foreach (var v in invariants)
        {
            if (v is null)
            {
                // An undefined side: no element passes.
                return true;
            }
        }

        foreach (var j in index.Find(invariants))
        {
            Step();
            if (ks >= 0)
            {
                Bind(f, ks, NumberValue.Create(j));
            }

            Bind(f, vs, a[j]);
            if (!EvalAfterFilters(f, plan, k))
            {
                return false;
            }
        }

        return true;
    }

    // The rest of the body for one element: the filter literal first (exactly as EvalBody would take it), then
    // the literals after it; a filter that needs the general evaluator leaves everything to EvalBody.
    private bool EvalElement(Value?[] f, TermExpr? filter, List<Expr> exprs, int next, Func<bool> k)
    {
        if (next == exprs.Count)
        {
            // `some x in xs` ends the body.
            return k();
        }

        return filter is null
            ? EvalBody(f, exprs, next, k)
            : TryLiteralDirect(f, filter, -1, out _) switch
            {
                DirectBody.Failed => true,
                DirectBody.Succeeded => EvalBody(f, exprs, next + 1, k),
                _ => EvalBody(f, exprs, next, k),
            };
    }
}
