using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

internal sealed partial class Evaluator
{
    private const int MaxDirectBindings = 4;

    private bool EvalBody(Value?[] f, List<Expr> exprs, int i, Func<bool> k)
    {
        // Literals with at most one solution run in this loop; their bindings are undone when the rest returns.
        // Up to four bound slots are packed into one long (16 bits each): no stackalloc, so no zeroing and no
        // stack cookie on the hottest call of the evaluator.
        var bound = 0L;
        var nb = 0;
        try
        {
            for (; i < exprs.Count && nb < MaxDirectBindings; i++)
            {
                var e = exprs[i];
                var literal = TryLiteralDirect(f, e, 0xFFFF, out var slot);
                if (literal == DirectBody.Failed)
                {
                    return true;
                }

                if (literal == DirectBody.Succeeded)
                {
                    if (slot >= 0)
                    {
                        bound |= (long)slot << (16 * nb++);
                    }

                    continue;
                }

                if (e is SomeInExpr { Negated: false, With.Length: 0, CaptureIndex: < 0, Value: VarTerm { Slot: >= 0 } sv } si &&
                    f[sv.Slot] is null && (si.Key is null || (si.Key is VarTerm { Slot: >= 0 } sk && sk.Slot != sv.Slot && f[sk.Slot] is null)))
                {
                    // Only an existence question can use it: tested here, so the common case makes no call.
                    if (ReferenceEquals(k, _stopAtFirst) && si.Key is null && TryExistsInPartialSet(f, si, exprs, i + 1, k, out var bodyResult))
                    {
                        return bodyResult;
                    }

                    if (!TryEvalDirect(f, si.Collection, out var coll))
                    {
                        return EvalBodySlow(f, exprs, i, k);
                    }

                    Step();
                    return coll is null || EvalSomeInDirect(f, si, coll, exprs, i + 1, k);
                }

                return EvalBodySlow(f, exprs, i, k);
            }

            return i == exprs.Count ? k() : EvalBodySlow(f, exprs, i, k);
        }
        finally
        {
            for (var j = 0; j < nb; j++)
            {
                f[(int)((bound >> (16 * j)) & 0xFFFF)] = null;
            }
        }
    }

    // One literal through the general (enumerating) evaluator; its continuation is the rest of the body.
    private bool EvalBodySlow(Value?[] f, List<Expr> exprs, int i, Func<bool> k)
    {
        Step();
        var e = exprs[i];
        Func<bool> next = i + 1 == exprs.Count ? k : () => EvalBody(f, exprs, i + 1, k);
        return e.With.Length > 0 ? EvalWith(f, e, next) : EvalExpr(f, e, next);
    }

    private bool EvalExpr(Value?[] f, Expr e, Func<bool> k)
    {
        if (e.Negated)
        {
            return HasSolution(f, e) || k();
        }

        return EvalExprCore(f, e, k);
    }

    /// <summary>Whether a body has a solution (the enumeration stops at the first); bindings are undone.</summary>
    private bool HasSolution(Value?[] f, List<Expr> exprs)
    {
        var saved = _solutionFound;
        _solutionFound = false;
        try
        {
            EvalBody(f, exprs, 0, StopAtFirst);
            return _solutionFound;
        }
        finally
        {
            _solutionFound = saved;
        }
    }

    /// <summary>Whether an expression (taken as not negated) has a solution.</summary>
    private bool HasSolution(Value?[] f, Expr e)
    {
        var saved = _solutionFound;
        _solutionFound = false;
        try
        {
            EvalExprCore(f, e, StopAtFirst);
            return _solutionFound;
        }
        finally
        {
            _solutionFound = saved;
        }
    }

    // The continuation of HasSolution: one delegate per evaluator (and evaluators are reused), so asking whether a
    // body holds allocates nothing. Nested questions save and restore the flag.
    private Func<bool> StopAtFirst => _stopAtFirst ??= () =>
    {
        _solutionFound = true;
        return false;
    };

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
                return HasSolution(f, nb.Body.Exprs) || k();
            default:
                throw new InvalidOperationException($"unknown expression {e.GetType().Name}");
        }
    }

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

        if (!Elements(domain, out var items, out var keys))
        {
            return false;
        }

        for (var j = 0; j < items.Length; j++)
        {
            if (!Holds(KeyAt(keys, j), items[j]))
            {
                return false;
            }
        }

        return true;
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

        var modified = (input, overrides, mocks, new ScopeCaches());
        void Apply((Value?, List<(string[], Value)>?, Dictionary<string, object>?, ScopeCaches) s) =>
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
    private Value? EvalFirst(Value?[] f, Term t) => TryEvalDirect(f, t, out var direct) ? direct : EvalFirstSlow(f, t);

    // Apart from EvalFirst: the closure's state would otherwise be allocated on every call, direct ones included.
    private Value? EvalFirstSlow(Value?[] f, Term t)
    {
        Value? result = null;
        EvalTerm(f, t, v =>
        {
            result = v;
            return false;
        });
        return result;
    }
}
