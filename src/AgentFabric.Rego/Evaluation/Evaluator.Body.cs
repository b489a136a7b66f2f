using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;

namespace AgentFabric.Rego.Evaluation;

internal sealed partial class Evaluator
{
    private bool EvalBody(Value?[] f, List<Expr> exprs, int i, Func<bool> k)
    {
        if (i == exprs.Count)
        {
            return k();
        }

        Step();
        var e = exprs[i];
        Func<bool> next = i + 1 == exprs.Count ? k : () => EvalBody(f, exprs, i + 1, k);
        return e.With.Length > 0 ? EvalWith(f, e, next) : EvalExpr(f, e, next);
    }

    private bool EvalExpr(Value?[] f, Expr e, Func<bool> k)
    {
        if (e.Negated)
        {
            var found = false;
            EvalExprCore(f, e, () =>
            {
                found = true;
                return false;
            });
            return found || k();
        }

        return EvalExprCore(f, e, k);
    }

    private bool EvalExprCore(Value?[] f, Expr e, Func<bool> k)
    {
        switch (e)
        {
            case TermExpr { CaptureIndex: >= 0, Negated: false } t when _capturedValues is not null:
                return EvalTerm(f, t.Term, v =>
                {
                    // The latest value along the current solution's path is the one reported with it.
                    _capturedValues[t.CaptureIndex] = v;
                    return v is BooleanValue { Value: false } || k();
                });
            case TermExpr t:
                return EvalTerm(f, t.Term, v => v is BooleanValue { Value: false } || k());
            case UnifyExpr u:
                return Unify(f, u.Left, u.Right, k);
            case SomeDeclExpr:
                return k();
            case SomeInExpr si:
                return EvalTerm(f, si.Collection, c => EvalSomeIn(f, si, c, k));
            case EveryExpr ev:
                return EvalTerm(f, ev.Domain, d => EvalEvery(f, ev, d) ? k() : true);
            case NotBodyExpr nb:
            {
                var found = false;
                EvalBody(f, nb.Body.Exprs, 0, () =>
                {
                    found = true;
                    return false;
                });
                return found || k();
            }
            default:
                throw new InvalidOperationException($"unknown expression {e.GetType().Name}");
        }
    }

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
    private bool EvalEvery(Value?[] f, EveryExpr ev, Value domain)
    {
        bool Holds(Value key, Value value)
        {
            var found = false;
            Func<bool> body = () => EvalBody(f, ev.Body.Exprs, 0, () =>
            {
                found = true;
                return false;
            });
            if (ev.Key is null)
            {
                UnifyValue(f, ev.Value, value, body);
            }
            else
            {
                UnifyValue(f, ev.Key, key, () => UnifyValue(f, ev.Value, value, body));
            }

            return found;
        }

        switch (domain)
        {
            case ArrayValue a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (!Holds(NumberValue.Create(i), a[i]))
                    {
                        return false;
                    }
                }

                return true;
            case ObjectValue o:
                foreach (var (key, val) in o)
                {
                    if (!Holds(key, val))
                    {
                        return false;
                    }
                }

                return true;
            case SetValue s:
                foreach (var item in s)
                {
                    if (!Holds(item, item))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    private bool EvalWith(Value?[] f, Expr e, Func<bool> k)
    {
        // Evaluate the replacement values in the current state first.
        var values = new Value?[e.With.Length];
        for (var i = 0; i < e.With.Length; i++)
        {
            var w = e.With[i];
            if (w.Resolved is { Kind: WithTargetKind.Function, Replacement: not null })
            {
                continue;
            }

            var v = EvalFirst(f, w.Value);
            if (v is null)
            {
                return true;
            }

            values[i] = v;
        }

        var saved = (_input, _dataOverrides, _mocks, _caches);
        var input = _input;
        var overrides = _dataOverrides;
        var mocks = _mocks;
        for (var i = 0; i < e.With.Length; i++)
        {
            var w = e.With[i];
            var target = w.Resolved!;
            switch (target.Kind)
            {
                case WithTargetKind.Input:
                    input = SetPath(input, target.Path, 0, values[i]!);
                    break;
                case WithTargetKind.Data:
                    overrides = [.. overrides ?? [], (target.Path, values[i]!)];
                    break;
                default:
                    mocks = new Dictionary<string, object>(mocks ?? [], StringComparer.Ordinal)
                    {
                        [target.FunctionName] = (object?)target.Replacement ?? values[i]!,
                    };
                    break;
            }
        }

        var modified = (input, overrides, mocks, new Caches());
        void Apply((Value?, List<(string[], Value)>?, Dictionary<string, object>?, Caches) s) =>
            (_input, _dataOverrides, _mocks, _caches) = s;

        Apply(modified);
        try
        {
            return EvalExpr(f, e, () =>
            {
                Apply(saved);
                try
                {
                    return k();
                }
                finally
                {
                    Apply(modified);
                }
            });
        }
        finally
        {
            Apply(saved);
        }
    }

    private static Value SetPath(Value? root, string[] path, int i, Value value)
    {
        if (i == path.Length)
        {
            return value;
        }

        var obj = root as ObjectValue ?? ObjectValue.Empty;
        var key = StringValue.Create(path[i]);
        return obj.With(key, SetPath(obj.Get(key), path, i + 1, value));
    }

    /// <summary>The first value of a term, or null when undefined.</summary>
    private Value? EvalFirst(Value?[] f, Term t)
    {
        if (TryEvalDirect(f, t, out var direct))
        {
            return direct;
        }

        Value? result = null;
        EvalTerm(f, t, v =>
        {
            result = v;
            return false;
        });
        return result;
    }
}
