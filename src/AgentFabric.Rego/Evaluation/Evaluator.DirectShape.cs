using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

// The entry of the direct path: the shape of a term is worked out once and kept on it, so evaluating the common
// terms costs one jump instead of a chain of type tests.
internal sealed partial class Evaluator
{
    /// <summary>Evaluates a term that has at most one value without enumeration; false when the term may
    /// enumerate (then <paramref name="value"/> is meaningless). A true result with a null value means undefined.</summary>
    /// <remarks>The common shapes (scalars, variables, constant paths, comparisons) are dispatched on a kind kept on
    /// the term, so the hot path does one jump instead of a chain of type tests; the rest goes through
    /// <see cref="TryEvalDirectGeneral"/>.</remarks>
    private bool TryEvalDirect(Value?[] f, Term t, out Value? value)
    {
        switch ((DirectShape)t.DirectKind)
        {
            case DirectShape.Scalar:
                value = ((ScalarTerm)t).Value;
                return true;
            case DirectShape.Var:
            {
                var slot = ((VarTerm)t).Slot;
                if (slot >= 0 && f[slot] is { } bound)
                {
                    value = bound;
                    return true;
                }

                value = null;
                return false;
            }

            case DirectShape.InputPath when ((RefTerm)t).ConstantKeys is { } inputKeys:
                value = _input is null ? null : LookupPath(_input, inputKeys);
                return true;
            case DirectShape.LocalPath when ((RefTerm)t).ConstantKeys is { } keys:
            {
                var slot = ((VarTerm)((RefTerm)t).Head).Slot;
                if (slot >= 0 && f[slot] is { } head)
                {
                    value = LookupPath(head, keys);
                    return true;
                }

                break;
            }

            // The shape is published without a barrier: a thread that sees it before the cached value it relies on
            // (weakly ordered memory) takes the general path, which reads that value properly.
            case DirectShape.Constant when t.Folded is { } constant:
                value = constant;
                return true;
            case DirectShape.DataPath when _dataOverrides is null:
                return TryDataDirect(f, (RefTerm)t, out value);
            case DirectShape.Operator when _mocks is null:
            {
                var c = (CallTerm)t;
                if (c.Target is BuiltinCallTarget { Operator: var op and not InlineOperator.None })
                {
                    return TryOperatorDirect(f, c.Args[0], c.Args[1], op, out value);
                }

                break;
            }

            case DirectShape.Unknown:
                t.DirectKind = (byte)ShapeOf(t);
                return TryEvalDirect(f, t, out value);
        }

        return TryEvalDirectGeneral(f, t, out value);
    }

    private enum DirectShape : byte
    {
        Unknown,
        Scalar,
        Var,

        /// <summary><c>input.a.b</c>: input with constant keys.</summary>
        InputPath,

        /// <summary><c>x.a.b</c>: a local with constant keys.</summary>
        LocalPath,

        /// <summary>A ground array, set or object literal (its value kept in <see cref="Term.Folded"/>).</summary>
        Constant,

        /// <summary><c>data.a[x]</c>: any reference into data.</summary>
        DataPath,

        /// <summary><c>a == b</c>, <c>a != b</c>, <c>a in b</c> (the catalog's operators, inlined).</summary>
        Operator,
        Other,
    }

    // The shape depends only on what the compiler settled (slots of input/data, call targets, constant keys).
    private static DirectShape ShapeOf(Term t) => t switch
    {
        ScalarTerm => DirectShape.Scalar,
        ArrayTerm or SetTerm or ObjectTerm when Fold(t) is not null => DirectShape.Constant,
        VarTerm { Slot: >= 0 } => DirectShape.Var,
        RefTerm { Head: VarTerm { Slot: SpecialSlots.Input } } r when ConstantKeys(r) is not null => DirectShape.InputPath,
        RefTerm { Head: VarTerm { Slot: >= 0 } } r when ConstantKeys(r) is not null => DirectShape.LocalPath,
        RefTerm { Head: VarTerm { Slot: SpecialSlots.Data } } => DirectShape.DataPath,
        CallTerm { Target: BuiltinCallTarget { Operator: not InlineOperator.None }, Args.Length: 2 } => DirectShape.Operator,
        _ => DirectShape.Other,
    };
}
