using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

internal sealed partial class Evaluator
{
    private bool EvalCall(Value?[] f, CallTerm c, Func<Value, bool> k)
    {
        var target = c.Target ?? throw new RegoEvaluationException(RegoErrorCodes.InternalError, $"unresolved call {c.OperatorName}", c.Location);
        if (_mocks is not null && _mocks.TryGetValue(target.Name, out var mock))
        {
            if (mock is Value mv)
            {
                // The arguments must still be defined.
                var ignored = new Value[c.Args.Length];
                return EvalItems(f, c.Args, 0, ignored, () => k(mv));
            }

            // The replacement runs without mocks: a mock never calls itself or another mock.
            var replacement = (CallTarget)mock;
            var mockArgs = new Value[c.Args.Length];
            return EvalItems(f, c.Args, 0, mockArgs, () =>
            {
                var saved = _mocks;
                _mocks = null;
                Value? result;
                try
                {
                    result = Invoke(replacement, mockArgs, c.Location);
                }
                finally
                {
                    _mocks = saved;
                }

                return result is null || k(result);
            });
        }

        if (target is BuiltinCallTarget { Builtin.Name: "walk" })
        {
            return EvalTerm(f, c.Args[0], root => Walk(ArrayValue.Empty, root, k));
        }

        if (target is BuiltinCallTarget { Builtin.Name: "print" })
        {
            return EvalPrint(f, c) && k(BooleanValue.True);
        }

        var args = new Value[c.Args.Length];
        if (NeedsReorder(f, c.Args))
        {
            // An argument reads a variable another argument's reference binds: evaluate those first.
            var order = Enumerable.Range(0, c.Args.Length).OrderBy(i => HasFreeVar(f, c.Args[i]) ? 1 : 0).ToArray();
            var reordered = order.Select(i => c.Args[i]).ToArray();
            var tmp = new Value[reordered.Length];
            return EvalItems(f, reordered, 0, tmp, () =>
            {
                for (var i = 0; i < order.Length; i++)
                {
                    args[order[i]] = tmp[i];
                }

                var result = Invoke(target, args, c.Location);
                return result is null || k(result);
            });
        }

        return EvalItems(f, c.Args, 0, args, () =>
        {
            var result = Invoke(target, args, c.Location);
            return result is null || k(result);
        });
    }

    private Value? Invoke(CallTarget target, Value[] args, Location location)
    {
        switch (target)
        {
            case FunctionCallTarget fn:
                return CallFunction(fn.Node, args, location);
            case BuiltinCallTarget b:
                return InvokeBuiltin(b, args, location);

            default:
                throw new InvalidOperationException("unknown call target");
        }
    }

    private Value? InvokeBuiltin(BuiltinCallTarget b, ReadOnlySpan<Value> args, Location location)
    {
        Value? result;
        try
        {
            result = b.Builtin.Function(_ctx, args);
        }
        catch (RegoBuiltinException e)
        {
            if (_ctx.StrictErrors || e.Halts)
            {
                throw new RegoEvaluationException(e.Code, $"{b.Builtin.Name}: {e.Message}", location, e);
            }

            result = null;
        }

        CheckClockAfterBuiltin();
        return result;
    }

    private Value? CallFunction(RuleNode node, Value[] args, Location location)
    {
        EnsureStack();
        if (!_caches.Enter(node.Id))
        {
            throw new RegoEvaluationException(RegoErrorCodes.RecursionError, $"function {node.DataPath} is recursive", location);
        }

        try
        {
            Value? result = null;
            foreach (var rule in node.Functions)
            {
                if (rule.Args!.Length != args.Length)
                {
                    throw new RegoEvaluationException(RegoErrorCodes.TypeError, $"{node.DataPath}: arity mismatch", location);
                }

                for (var r = rule; r is not null; r = r.Else)
                {
                    var frame = NewFrame(r.SlotCount);
                    var produced = false;
                    var current = r;
                    UnifyArgs(frame, r.Args!, args, 0, () => EvalBody(frame, current.Body.Exprs, 0, () => EvalTerm(frame, current.Value!, v =>
                    {
                        produced = true;
                        if (result is null)
                        {
                            result = v;
                        }
                        else if (!result.Equals(v))
                        {
                            throw Conflict("functions must not produce multiple outputs for same inputs", location);
                        }

                        return true;
                    })));
                    if (produced)
                    {
                        break;
                    }
                }
            }

            if (result is null && node.DefaultFunction is { } def)
            {
                var frame = NewFrame(def.SlotCount);
                result = EvalFirst(frame, def.Value!);
            }

            return result;
        }
        finally
        {
            _caches.Leave(node.Id);
        }
    }

    // walk(x) is a relation: one [path, value] pair for x and for every value nested in it.
    private bool Walk(ArrayValue path, Value v, Func<Value, bool> k)
    {
        Step();
        if (!k(ArrayValue.Create(path, v)))
        {
            return false;
        }

        switch (v)
        {
            case ArrayValue a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (!Walk(Append(path, NumberValue.Create(i)), a[i], k))
                    {
                        return false;
                    }
                }

                break;
            case ObjectValue o:
                foreach (var (key, val) in o)
                {
                    if (!Walk(Append(path, key), val, k))
                    {
                        return false;
                    }
                }

                break;
            case SetValue s:
                foreach (var item in s)
                {
                    if (!Walk(Append(path, item), item, k))
                    {
                        return false;
                    }
                }

                break;
        }

        return true;
    }

    private static ArrayValue Append(ArrayValue path, Value key)
    {
        var items = new Value[path.Count + 1];
        path.Items.CopyTo(items);
        items[^1] = key;
        return ArrayValue.Create(items);
    }

    private static bool NeedsReorder(Value?[] f, Term[] args)
    {
        var free = false;
        foreach (var a in args)
        {
            if (HasFreeVar(f, a))
            {
                free = true;
                break;
            }
        }

        return free && args.Length > 1;
    }

    // An unbound variable outside reference keys (which enumeration binds).
    private static bool HasFreeVar(Value?[] f, Term t) => t switch
    {
        VarTerm { Slot: >= 0 } v => f[v.Slot] is null,
        ArrayTerm a => a.Items.Any(i => HasFreeVar(f, i)),
        SetTerm s => s.Items.Any(i => HasFreeVar(f, i)),
        ObjectTerm o => o.Entries.Any(e => HasFreeVar(f, e.Key) || HasFreeVar(f, e.Value)),
        CallTerm c => c.Args.Any(a => HasFreeVar(f, a)),
        _ => false,
    };

    private bool UnifyArgs(Value?[] frame, Term[] patterns, Value[] args, int i, Func<bool> k) =>
        i == patterns.Length ? k() : UnifyValue(frame, patterns[i], args[i], () => UnifyArgs(frame, patterns, args, i + 1, k));

    // print(a, b): each operand prints all its values, or <undefined>; printing never fails the body.
    private bool EvalPrint(Value?[] f, CallTerm c)
    {
        if (_ctx.Print is null)
        {
            return true;
        }

        var operands = new Value[c.Args.Length];
        for (var i = 0; i < c.Args.Length; i++)
        {
            var b = new SetValue.Builder();
            try
            {
                EvalTerm(f, c.Args[i], v =>
                {
                    b.Add(v);
                    return true;
                });
            }
            catch (RegoEvaluationException)
            {
                // An operand that fails prints as undefined.
            }

            operands[i] = b.ToValue();
        }

        if (_policy.Builtins.TryGet("internal.print", out var print))
        {
            print.Function(_ctx, [ArrayValue.Create(operands)]);
        }

        return true;
    }
}
