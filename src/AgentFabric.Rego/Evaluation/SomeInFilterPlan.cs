using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

/// <summary>The filters right after a <c>some ... in</c> literal (<c>some p in xs; p.action == input.action</c>): for
/// filter j, the element's constant keys (empty: the element itself), the term that is the same for every element,
/// and whether it is <c>==</c> (else <c>!=</c>). <see cref="Count"/> is 0 when the literal after the loop is not such
/// a filter. The evaluator evaluates the invariant sides once per loop and tests each element by walking its keys
/// (Evaluator.SomeInFilters.cs).</summary>
internal sealed class SomeInFilterPlan
{
    private SomeInFilterPlan(List<Expr> exprs, int next, Value[][] elementKeys, Term[] invariants, bool[] equal)
    {
        Exprs = exprs;
        Next = next;
        ElementKeys = elementKeys;
        Invariants = invariants;
        Equal = equal;
        AllEqual = Array.TrueForAll(equal, e => e);
    }

    /// <summary>The body the loop is in.</summary>
    public List<Expr> Exprs { get; }

    /// <summary>The position of the literal right after the loop (the first filter).</summary>
    public int Next { get; }

    public Value[][] ElementKeys { get; }

    public Term[] Invariants { get; }

    public bool[] Equal { get; }

    /// <summary>Every filter is an equality: the elements that pass can be looked up (see ArrayFilterIndex).</summary>
    public bool AllEqual { get; }

    public int Count => Invariants.Length;

    /// <summary>The plan for the loop <paramref name="si"/> at <c>exprs[next - 1]</c> binding the element to slot
    /// <paramref name="vs"/> (and its key to <paramref name="ks"/>, or -1). It depends only on the literals (immutable)
    /// and is kept on the <c>some</c> literal; a body seen through another list (the rule's body without its guards)
    /// is planned again.</summary>
    public static SomeInFilterPlan For(SomeInExpr si, List<Expr> exprs, int next, int vs, int ks)
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
        RefTerm { Head: VarTerm { Slot: >= 0 } h } r when h.Slot == vs => Evaluator.ConstantKeys(r),
        _ => null,
    };

    // Terms whose value cannot change while the loop runs and whose evaluation cannot fail: the loop binds only
    // its own variables, and `with` (which could change input) never applies to these filters.
    private static bool IsLoopInvariant(Term t, int vs, int ks) => t switch
    {
        ScalarTerm => true,
        VarTerm { Slot: >= 0 } v => v.Slot != vs && v.Slot != ks,
        RefTerm { Head: VarTerm { Slot: SpecialSlots.Input } } r => Evaluator.ConstantKeys(r) is not null,
        RefTerm { Head: VarTerm { Slot: >= 0 } h } r => h.Slot != vs && h.Slot != ks && Evaluator.ConstantKeys(r) is not null,
        _ => false,
    };
}
