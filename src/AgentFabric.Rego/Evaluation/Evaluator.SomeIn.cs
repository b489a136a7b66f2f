using AgentFabric.Rego.Ast;

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
        switch (collection)
        {
            case ArrayValue a:
                for (var i = 0; i < a.Count; i++)
                {
                    var item = a[i];
                    var idx = NumberValue.Create(i);
                    var r = si.Key is null
                        ? UnifyValue(f, si.Value, item, k)
                        : UnifyValue(f, si.Key, idx, () => UnifyValue(f, si.Value, item, k));
                    if (!r)
                    {
                        return false;
                    }
                }

                return true;
            case ObjectValue o:
                foreach (var (key, val) in o)
                {
                    var r = si.Key is null
                        ? UnifyValue(f, si.Value, val, k)
                        : UnifyValue(f, si.Key, key, () => UnifyValue(f, si.Value, val, k));
                    if (!r)
                    {
                        return false;
                    }
                }

                return true;
            case SetValue s:
                foreach (var item in s)
                {
                    var r = si.Key is null
                        ? UnifyValue(f, si.Value, item, k)
                        : UnifyValue(f, si.Key, item, () => UnifyValue(f, si.Value, item, k));
                    if (!r)
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

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

        // Equality filters on the element's fields against values fixed for the loop: planned once, their fixed
        // sides evaluated once here (Evaluator.SomeInFilters.cs).
        SomeInFilterPlan? plan = null;
        var invariants = default(InvariantBuffer);
        if (filter is not null && _mocks is null && FilterPlanOf(si, exprs, next, vs, ks) is { Count: > 0 } p && TryInvariants(f, p, invariants))
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
        var items = collection switch
        {
            ArrayValue a => a.Items,
            ObjectValue o => o.Values,
            SetValue s => s.Items,
            _ => [],
        };
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
        // Keys: an object's keys, a set's members, an array's positions (made only when bound).
        ReadOnlySpan<Value> items, keys;
        switch (collection)
        {
            case ArrayValue a:
                if (plan is { AllEqual: true } && a.Count >= ArrayFilterIndex.MinLength && ArrayFilterIndex.For(a, plan.ElementKeys) is { } index)
                {
                    return EachIndexedElement(f, a, index, vs, ks, plan, invariants, k);
                }

                items = a.Items;
                keys = default;
                break;
            case ObjectValue o:
                items = o.Values;
                keys = o.Keys;
                break;
            case SetValue s:
                items = s.Items;
                keys = s.Items;
                break;
            default:
                return true;
        }

        for (var j = 0; j < items.Length; j++)
        {
            Step();
            var key = ks < 0 ? null : keys.IsEmpty ? NumberValue.Create(j) : keys[j];
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

        if (filter is not null && TryEvalDirect(f, filter.Term, out var v))
        {
            Step();
            return (v is not null && v is not BooleanValue { Value: false }) == filter.Negated || EvalBody(f, exprs, next + 1, k);
        }

        return EvalBody(f, exprs, next, k);
    }
}
