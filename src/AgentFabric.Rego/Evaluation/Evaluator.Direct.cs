using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

// Terms with at most one value (scalars, bound variables, references with known keys, calls with such arguments)
// are evaluated directly, without continuations: most literals of a policy body are of this kind, and skipping the
// closures keeps a decision nearly allocation-free.
internal sealed partial class Evaluator
{
    /// <summary>The outcome of a literal (<see cref="TryLiteralDirect"/>) or a body (<see cref="TryBodyDirect"/>)
    /// evaluated directly.</summary>
    private enum DirectBody
    {
        /// <summary>A literal needs the general evaluator: nothing is bound for it (for a body, the frame holds the
        /// bindings of the literals before it).</summary>
        NotDirect,
        Failed,
        Succeeded,
    }

    /// <summary>Runs a body whose literals all have at most one solution, leaving its bindings in the frame (which
    /// the caller owns and discards).</summary>
    private DirectBody TryBodyDirect(Value?[] f, List<Expr> exprs)
    {
        foreach (var e in exprs)
        {
            var literal = TryLiteralDirect(f, e, int.MaxValue, out _);
            if (literal != DirectBody.Succeeded)
            {
                return literal;
            }
        }

        return DirectBody.Succeeded;
    }

    /// <summary>One literal with at most one solution, evaluated without a continuation (a step, as the general
    /// evaluator takes it): a term, <c>x = term</c> binding an unbound variable <paramref name="slot"/> (left bound in
    /// the frame; -1 when none) or comparing two values, or <c>some x</c>. NotDirect, with nothing bound and no step
    /// taken, for a literal that needs the general evaluator, and for a variable above <paramref name="maxSlot"/>.
    /// Shared by the loop of <see cref="EvalBody"/>, <see cref="TryBodyDirect"/> and the filters of a <c>some</c> loop.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private DirectBody TryLiteralDirect(Value?[] f, Expr e, int maxSlot, out int slot)
    {
        slot = -1;
        if (e.With.Length > 0 || e.CaptureIndex >= 0)
        {
            return DirectBody.NotDirect;
        }

        switch (e)
        {
            case TermExpr t:
            {
                if (!TryEvalDirect(f, t.Term, out var v))
                {
                    return DirectBody.NotDirect;
                }

                Step();
                return (v is not null && v is not BooleanValue { Value: false }) == e.Negated ? DirectBody.Failed : DirectBody.Succeeded;
            }

            case UnifyExpr { Negated: false } u:
            {
                var target = u.Left is VarTerm { Slot: >= 0 } l && f[l.Slot] is null ? l.Slot : -1;
                var other = u.Right;
                if (target < 0 && u.Right is VarTerm { Slot: >= 0 } r && f[r.Slot] is null)
                {
                    target = r.Slot;
                    other = u.Left;
                }

                Value? left = null;
                if (target > maxSlot || !TryEvalDirect(f, other, out var v) || (target < 0 && !TryEvalDirect(f, u.Left, out left)))
                {
                    return DirectBody.NotDirect;
                }

                Step();
                if (v is null || (target < 0 && (left is null || !left.Equals(v))))
                {
                    return DirectBody.Failed;
                }

                if (target >= 0)
                {
                    Bind(f, target, v);
                    slot = target;
                }

                return DirectBody.Succeeded;
            }

            case SomeDeclExpr:
                Step();
                return DirectBody.Succeeded;
            default:
                return DirectBody.NotDirect;
        }
    }

    // The general case of TryEvalDirect (Evaluator.DirectShape.cs): every term shape.
    private bool TryEvalDirectGeneral(Value?[] f, Term t, out Value? value)
    {
        switch (t)
        {
            case ScalarTerm s:
                value = s.Value;
                return true;
            case VarTerm { Slot: >= 0 } v when f[v.Slot] is { } bound:
                value = bound;
                return true;
            case RefTerm { Head: VarTerm { Slot: SpecialSlots.Input } } r:
                if (_input is null)
                {
                    value = null;
                    return true;
                }

                return TryPathDirect(f, _input, r, out value);
            case RefTerm { Head: VarTerm { Slot: >= 0 } hv } r when f[hv.Slot] is { } head:
                return TryPathDirect(f, head, r, out value);
            case RefTerm { Head: VarTerm { Slot: SpecialSlots.Data } } r when _dataOverrides is null:
                return TryDataDirect(f, r, out value);
            case ArrayTerm or SetTerm or ObjectTerm when Fold(t) is { } constant:
                value = constant;
                return true;
            case ArrayTerm a:
            {
                var items = new Value[a.Items.Length];
                if (!TryItemsDirect(f, a.Items, items, out var undefined))
                {
                    value = null;
                    return false;
                }

                value = undefined ? null : ArrayValue.Wrap(items);
                return true;
            }

            case SetTerm s:
            {
                var items = new Value[s.Items.Length];
                if (!TryItemsDirect(f, s.Items, items, out var undefined))
                {
                    value = null;
                    return false;
                }

                value = undefined ? null : SetValue.Create(items);
                return true;
            }

            case ObjectTerm o:
                return TryObjectDirect(f, o, out value);
            case CallTerm c when _mocks is null && c.Target is { } target && target is not BuiltinCallTarget { IsSpecial: true }:
                return target is BuiltinCallTarget { Operator: not InlineOperator.None } op && c.Args.Length == 2
                    ? TryOperatorDirect(f, c.Args[0], c.Args[1], op.Operator, out value)
                    : TryCallDirect(f, c, target, out value);
            default:
                value = null;
                return false;
        }
    }

    /// <summary>The value of a ground array, set or object term, computed on first use and kept on the term
    /// (policies are immutable, so a racing second computation stores an equal value); null when not ground.</summary>
    private static Value? Fold(Term t)
    {
        switch (Volatile.Read(ref t.FoldState))
        {
            case 1:
                return t.Folded;
            case 2:
                return null;
        }

        var v = TermConstant.ToValue(t);

        // {"a": 1, "a": 2} is a conflict at evaluation, not a constant.
        if (v is ObjectValue o && o.Count != ((ObjectTerm)t).Entries.Length)
        {
            v = null;
        }

        t.Folded = v;
        Volatile.Write(ref t.FoldState, v is null ? 2 : 1);
        return v;
    }

    private bool TryObjectDirect(Value?[] f, ObjectTerm o, out Value? value)
    {
        var b = new ObjectValue.Builder(o.Entries.Length);
        foreach (var (kt, vt) in o.Entries)
        {
            if (!TryEvalDirect(f, kt, out var key) || !TryEvalDirect(f, vt, out var val))
            {
                value = null;
                return false;
            }

            if (key is null || val is null)
            {
                value = null;
                return true;
            }

            if (b.Get(key) is { } existing && !existing.Equals(val))
            {
                throw Conflict("object keys must be unique", o.Location);
            }

            b.Set(key, val);
        }

        value = b.ToValue();
        return true;
    }

    // A reference's path down from its head's value: constant keys walked at once, other keys evaluated one by one.
    private bool TryPathDirect(Value?[] f, Value head, RefTerm r, out Value? value)
    {
        if (ConstantKeys(r) is { } keys)
        {
            value = LookupPath(head, keys);
            return true;
        }

        return TryIndexDirect(f, head, r.Path, 0, out value);
    }

    private bool TryIndexDirect(Value?[] f, Value start, Term[] path, int i, out Value? value)
    {
        var cur = start;
        for (; i < path.Length; i++)
        {
            if (!TryEvalDirect(f, path[i], out var key))
            {
                value = null;
                return false;
            }

            cur = key is null ? null : Lookup(cur, key);
            if (cur is null)
            {
                // Undefined; the remaining keys cannot enumerate anything either.
                value = null;
                return true;
            }
        }

        value = cur;
        return true;
    }

    // Mirrors EvalData for a path whose keys are all known (and no `with data` override is active).
    private bool TryDataDirect(Value?[] f, RefTerm r, out Value? value)
    {
        var path = r.Path;
        var prefix = DataPrefix.Of(_policy, r);
        var node = prefix.Node;
        var baseValue = prefix.Base;
        var i = prefix.Index;
        while (true)
        {
            if (node is not null && (node.Rules.Count > 0 || node.Default is not null))
            {
                if (i < path.Length && IsMemberLookup(node))
                {
                    if (!TryEvalDirect(f, path[i], out var member))
                    {
                        value = null;
                        return false;
                    }

                    if (member is null || !IsSetMember(node, member))
                    {
                        value = null;
                        return true;
                    }

                    return TryIndexDirect(f, member, path, i + 1, out value);
                }

                var doc = NodeValue(node);
                if (doc is null)
                {
                    value = null;
                    return true;
                }

                return TryIndexDirect(f, doc, path, i, out value);
            }

            if (node is not null && node.IsFunction)
            {
                value = null;
                return true;
            }

            if (node is null && baseValue is not ObjectValue)
            {
                if (baseValue is null)
                {
                    value = null;
                    return true;
                }

                return TryIndexDirect(f, baseValue, path, i, out value);
            }

            if (i == path.Length)
            {
                value = node is not null ? NodeValue(node) : baseValue;
                return true;
            }

            if (!TryEvalDirect(f, path[i], out var key))
            {
                value = null;
                return false;
            }

            if (DataPrefix.DataKey(key) is not StringValue ks)
            {
                value = null;
                return true;
            }

            var (child, baseChild) = DataPrefix.Child(node, baseValue, ks);
            if (child is null && baseChild is null)
            {
                value = null;
                return true;
            }

            node = child;
            baseValue = baseChild;
            i++;
        }
    }

    private bool TryCallDirect(Value?[] f, CallTerm c, CallTarget target, out Value? value)
    {
        value = null;
        if (target is BuiltinCallTarget builtin && c.Args.Length <= ArgBuffer.Length)
        {
            // Builtins take a span: small argument lists live on the stack.
            var buffer = default(ArgBuffer);
            Span<Value> span = buffer;
            span = span[..c.Args.Length];
            if (!TryItemsDirect(f, c.Args, span, out var undefinedArg))
            {
                return false;
            }

            value = undefinedArg ? null : InvokeBuiltin(builtin, span, c.Location);
            return true;
        }

        var args = c.Args.Length == 0 ? [] : new Value[c.Args.Length];
        if (!TryItemsDirect(f, c.Args, args, out var undefined))
        {
            return false;
        }

        value = undefined ? null : Invoke(target, args, c.Location);
        return true;
    }

    /// <summary>Evaluates call arguments or collection items directly into <paramref name="into"/> (one per term);
    /// false when one needs the general evaluator. <paramref name="undefined"/>: a term has no value, which makes the
    /// call or collection undefined (the terms after it are not evaluated).</summary>
    private bool TryItemsDirect(Value?[] f, Term[] terms, Span<Value> into, out bool undefined)
    {
        undefined = false;
        for (var i = 0; i < into.Length; i++)
        {
            if (!TryEvalDirect(f, terms[i], out var a))
            {
                return false;
            }

            if (a is null)
            {
                undefined = true;
                return true;
            }

            into[i] = a;
        }

        return true;
    }
}
