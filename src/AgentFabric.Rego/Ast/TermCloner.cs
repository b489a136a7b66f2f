namespace AgentFabric.Rego.Ast;

/// <summary>Deep-copies parsed (not yet compiled) terms. Rules that share source terms (an <c>else</c> branch reuses
/// the head and arguments; a v0 rule with several bodies reuses the whole head) get their own copies, because the
/// compiler binds each copy to its own frame.</summary>
internal static class TermCloner
{
    public static Term Clone(Term t) => t switch
    {
        ScalarTerm s => s,
        VarTerm v => new VarTerm(v.Name, v.Location),
        RefTerm r => new RefTerm(Clone(r.Head), r.Path.Select(Clone).ToArray(), r.Location),
        ArrayTerm a => new ArrayTerm(a.Items.Select(Clone).ToArray(), a.Location),
        SetTerm s => new SetTerm(s.Items.Select(Clone).ToArray(), s.Location),
        ObjectTerm o => new ObjectTerm(o.Entries.Select(e => (Clone(e.Key), Clone(e.Value))).ToArray(), o.Location),
        CallTerm c => new CallTerm(Clone(c.Operator), c.Args.Select(Clone).ToArray(), c.Location) { OperatorName = c.OperatorName },
        ComprehensionTerm c => new ComprehensionTerm(c.Kind, c.Key is null ? null : Clone(c.Key), Clone(c.Value), Clone(c.Body), c.Location),
        TemplateStringTerm ts => new TemplateStringTerm(ts.Parts.Select(p => p is Term pt ? Clone(pt) : p).ToArray(), ts.Location)
        {
            CollectedParts = ts.CollectedParts,
        },
        _ => throw new InvalidOperationException($"cannot clone {t.GetType().Name}"),
    };

    public static Body Clone(Body b) => new(b.Exprs.Select(Clone).ToList(), b.Location);

    public static Expr Clone(Expr e)
    {
        Expr copy = e switch
        {
            TermExpr t => new TermExpr(Clone(t.Term), t.Location),
            UnifyExpr u => new UnifyExpr(Clone(u.Left), Clone(u.Right), u.IsAssignment, u.Location),
            SomeDeclExpr s => new SomeDeclExpr(s.Vars.Select(v => (VarTerm)Clone(v)).ToArray(), s.Location),
            SomeInExpr si => new SomeInExpr(si.Key is null ? null : Clone(si.Key), Clone(si.Value), Clone(si.Collection), si.Location),
            NotBodyExpr nb => new NotBodyExpr(Clone(nb.Body), nb.Location),
            EveryExpr ev => new EveryExpr(ev.Key is null ? null : Clone(ev.Key), Clone(ev.Value), Clone(ev.Domain), Clone(ev.Body), ev.Location),
            _ => throw new InvalidOperationException($"cannot clone {e.GetType().Name}"),
        };
        copy.Negated = e.Negated;
        copy.With = e.With.Select(w => new WithModifier(Clone(w.Target), Clone(w.Value), w.Location)).ToArray();
        return copy;
    }

    public static List<Term> Clone(List<Term> terms) => terms.Select(Clone).ToList();

    public static Term[]? Clone(Term[]? terms) => terms?.Select(Clone).ToArray();
}
