using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

internal sealed partial class Evaluator
{
    private bool Unify(Value?[] f, Term a, Term b, Func<bool> k)
    {
        if (a is VarTerm { Slot: >= 0 } va && f[va.Slot] is null)
        {
            return EvalTerm(f, b, v => Bind(f, va.Slot, v, k));
        }

        if (b is VarTerm { Slot: >= 0 } vb && f[vb.Slot] is null)
        {
            return EvalTerm(f, a, v => Bind(f, vb.Slot, v, k));
        }

        if (a is ArrayTerm aa && b is ArrayTerm ba)
        {
            return aa.Items.Length != ba.Items.Length || UnifyPairs(f, aa.Items, ba.Items, 0, k);
        }

        if (a is ObjectTerm ao && b is ObjectTerm bo && (HasUnbound(f, a) || HasUnbound(f, b)))
        {
            if (ao.Entries.Length != bo.Entries.Length)
            {
                return true;
            }

            return UnifyObjects(f, ao, bo, k);
        }

        if (HasUnbound(f, a))
        {
            return EvalTerm(f, b, v => UnifyValue(f, a, v, k));
        }

        return EvalTerm(f, a, v => UnifyValue(f, b, v, k));
    }

    private bool UnifyPairs(Value?[] f, Term[] a, Term[] b, int i, Func<bool> k) =>
        i == a.Length ? k() : Unify(f, a[i], b[i], () => UnifyPairs(f, a, b, i + 1, k));

    private bool UnifyObjects(Value?[] f, ObjectTerm a, ObjectTerm b, Func<bool> k)
    {
        var pairs = new List<(Term, Term)>();
        foreach (var (ak, av) in a.Entries)
        {
            var key = EvalFirst(f, ak);
            Term? match = null;
            foreach (var (bk, bv) in b.Entries)
            {
                if (key is not null && key.Equals(EvalFirst(f, bk)))
                {
                    match = bv;
                    break;
                }
            }

            if (match is null)
            {
                return true;
            }

            pairs.Add((av, match));
        }

        return UnifyPairs(f, pairs.Select(p => p.Item1).ToArray(), pairs.Select(p => p.Item2).ToArray(), 0, k);
    }

    private static bool Bind(Value?[] f, int slot, Value v, Func<bool> k)
    {
        Bind(f, slot, v);
        try
        {
            return k();
        }
        finally
        {
            f[slot] = null;
        }
    }

    /// <summary>Unifies a (possibly partially bound) term with a value.</summary>
    private bool UnifyValue(Value?[] f, Term p, Value v, Func<bool> k)
    {
        switch (p)
        {
            case VarTerm { Slot: >= 0 } var:
                var cur = f[var.Slot];
                return cur is null ? Bind(f, var.Slot, v, k) : !cur.Equals(v) || k();
            case ArrayTerm a:
                if (v is not ArrayValue av || av.Count != a.Items.Length)
                {
                    return true;
                }

                return UnifyItems(f, a.Items, av, 0, k);
            case ObjectTerm o when HasUnbound(f, o):
            {
                if (v is not ObjectValue ov || ov.Count != o.Entries.Length)
                {
                    return true;
                }

                return UnifyEntries(f, o, ov, 0, k);
            }

            case ScalarTerm s:
                return !s.Value.Equals(v) || k();
            default:
                return EvalTerm(f, p, pv => !pv.Equals(v) || k());
        }
    }

    private bool UnifyItems(Value?[] f, Term[] items, ArrayValue v, int i, Func<bool> k) =>
        i == items.Length ? k() : UnifyValue(f, items[i], v[i], () => UnifyItems(f, items, v, i + 1, k));

    private bool UnifyEntries(Value?[] f, ObjectTerm o, ObjectValue v, int i, Func<bool> k)
    {
        if (i == o.Entries.Length)
        {
            return k();
        }

        var (kt, vt) = o.Entries[i];
        return EvalTerm(f, kt, key =>
        {
            var val = v.Get(key);
            return val is null || UnifyValue(f, vt, val, () => UnifyEntries(f, o, v, i + 1, k));
        });
    }

    /// <summary>Whether a term has an unbound variable in a pattern position (so it must be unified, not evaluated).</summary>
    private static bool HasUnbound(Value?[] f, Term t) => t switch
    {
        VarTerm { Slot: >= 0 } v => f[v.Slot] is null,
        ArrayTerm a => a.Items.Any(i => HasUnbound(f, i)),
        ObjectTerm o => o.Entries.Any(e => HasUnbound(f, e.Value)),
        _ => false,
    };
}
