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

    // True when the body holds for every element of the domain.

    // `some v in xs` / `some k, v in xs` binding fresh variables: each element, then the rest of the body.
    private bool EvalSomeInDirect(Value?[] f, SomeInExpr si, Value collection, List<Expr> exprs, int next, Func<bool> k)
    {
        var vs = ((VarTerm)si.Value).Slot;
        var ks = si.Key is VarTerm kv ? kv.Slot : -1;
        try
        {
            switch (collection)
            {
                case ArrayValue a:
                    for (var j = 0; j < a.Count; j++)
                    {
                        Step();
                        if (ks >= 0)
                        {
                            f[ks] = NumberValue.Create(j);
                        }

                        f[vs] = a[j];
                        if (!EvalBody(f, exprs, next, k))
                        {
                            return false;
                        }
                    }

                    return true;
                case ObjectValue o:
                    foreach (var (key, val) in o)
                    {
                        Step();
                        if (ks >= 0)
                        {
                            f[ks] = key;
                        }

                        f[vs] = val;
                        if (!EvalBody(f, exprs, next, k))
                        {
                            return false;
                        }
                    }

                    return true;
                case SetValue s:
                    foreach (var item in s)
                    {
                        Step();
                        if (ks >= 0)
                        {
                            f[ks] = item;
                        }

                        f[vs] = item;
                        if (!EvalBody(f, exprs, next, k))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return true;
            }
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
}
