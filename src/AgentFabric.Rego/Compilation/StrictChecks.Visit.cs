using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego.Compilation;

// A walk over every term and expression of a rule as written, nested bodies included.
internal static partial class StrictChecks
{
    internal static void VisitRule(Rule rule, Action<Term> onTerm, Action<Expr>? onExpr = null, bool declarations = true)
    {
        foreach (var t in (Term?[])[.. rule.Head.Skip(1), rule.Key, rule.Value, .. rule.Args ?? []])
        {
            VisitTerm(t, onTerm, onExpr, declarations);
        }

        VisitBody(rule.Body, onTerm, onExpr, declarations);
    }

    // declarations: whether the variables of `some x` count as terms (the unused-locals count does not read them).
    private static void VisitBody(Body body, Action<Term> onTerm, Action<Expr>? onExpr, bool declarations = true)
    {
        foreach (var e in body.Exprs)
        {
            onExpr?.Invoke(e);
            foreach (var w in e.With)
            {
                VisitTerm(w.Target, onTerm, onExpr, declarations);
                VisitTerm(w.Value, onTerm, onExpr, declarations);
            }

            switch (e)
            {
                case TermExpr t:
                    VisitTerm(t.Term, onTerm, onExpr, declarations);
                    break;
                case UnifyExpr u:
                    VisitTerm(u.Left, onTerm, onExpr, declarations);
                    VisitTerm(u.Right, onTerm, onExpr, declarations);
                    break;
                case SomeDeclExpr d when declarations:
                    foreach (var v in d.Vars)
                    {
                        VisitTerm(v, onTerm, onExpr, declarations);
                    }

                    break;
                case SomeInExpr si:
                    VisitTerm(si.Key, onTerm, onExpr, declarations);
                    VisitTerm(si.Value, onTerm, onExpr, declarations);
                    VisitTerm(si.Collection, onTerm, onExpr, declarations);
                    break;
                case EveryExpr ev:
                    VisitTerm(ev.Key, onTerm, onExpr, declarations);
                    VisitTerm(ev.Value, onTerm, onExpr, declarations);
                    VisitTerm(ev.Domain, onTerm, onExpr, declarations);
                    VisitBody(ev.Body, onTerm, onExpr, declarations);
                    break;
                case NotBodyExpr nb:
                    VisitBody(nb.Body, onTerm, onExpr, declarations);
                    break;
            }
        }
    }

    private static void VisitTerm(Term? t, Action<Term> onTerm, Action<Expr>? onExpr, bool declarations = true)
    {
        if (t is null)
        {
            return;
        }

        onTerm(t);
        switch (t)
        {
            case RefTerm r:
                VisitTerm(r.Head, onTerm, onExpr, declarations);
                foreach (var p in r.Path)
                {
                    VisitTerm(p, onTerm, onExpr, declarations);
                }

                break;
            case ArrayTerm a:
                foreach (var i in a.Items)
                {
                    VisitTerm(i, onTerm, onExpr, declarations);
                }

                break;
            case SetTerm s:
                foreach (var i in s.Items)
                {
                    VisitTerm(i, onTerm, onExpr, declarations);
                }

                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Entries)
                {
                    VisitTerm(k, onTerm, onExpr, declarations);
                    VisitTerm(v, onTerm, onExpr, declarations);
                }

                break;
            case CallTerm c:
                VisitTerm(c.Operator, onTerm, onExpr, declarations);
                foreach (var a in c.Args)
                {
                    VisitTerm(a, onTerm, onExpr, declarations);
                }

                break;
            case ComprehensionTerm ct:
                VisitTerm(ct.Key, onTerm, onExpr, declarations);
                VisitTerm(ct.Value, onTerm, onExpr, declarations);
                VisitBody(ct.Body, onTerm, onExpr, declarations);
                break;
            case TemplateStringTerm ts:
                foreach (var p in ts.Parts)
                {
                    VisitTerm(p as Term, onTerm, onExpr, declarations);
                }

                break;
        }
    }
}
