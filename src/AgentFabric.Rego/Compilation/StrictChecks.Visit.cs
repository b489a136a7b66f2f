using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego.Compilation;

// A walk over every term and expression of a rule as written, nested bodies included.
internal static partial class StrictChecks
{
    private static void VisitRule(Rule rule, Action<Term> onTerm, Action<Expr>? onExpr = null)
    {
        foreach (var t in (Term?[])[.. rule.Head.Skip(1), rule.Key, rule.Value, .. rule.Args ?? []])
        {
            VisitTerm(t, onTerm, onExpr);
        }

        VisitBody(rule.Body, onTerm, onExpr);
    }

    private static void VisitBody(Body body, Action<Term> onTerm, Action<Expr>? onExpr)
    {
        foreach (var e in body.Exprs)
        {
            onExpr?.Invoke(e);
            foreach (var w in e.With)
            {
                VisitTerm(w.Target, onTerm, onExpr);
                VisitTerm(w.Value, onTerm, onExpr);
            }

            switch (e)
            {
                case TermExpr t:
                    VisitTerm(t.Term, onTerm, onExpr);
                    break;
                case UnifyExpr u:
                    VisitTerm(u.Left, onTerm, onExpr);
                    VisitTerm(u.Right, onTerm, onExpr);
                    break;
                case SomeDeclExpr d:
                    foreach (var v in d.Vars)
                    {
                        VisitTerm(v, onTerm, onExpr);
                    }

                    break;
                case SomeInExpr si:
                    VisitTerm(si.Key, onTerm, onExpr);
                    VisitTerm(si.Value, onTerm, onExpr);
                    VisitTerm(si.Collection, onTerm, onExpr);
                    break;
                case EveryExpr ev:
                    VisitTerm(ev.Key, onTerm, onExpr);
                    VisitTerm(ev.Value, onTerm, onExpr);
                    VisitTerm(ev.Domain, onTerm, onExpr);
                    VisitBody(ev.Body, onTerm, onExpr);
                    break;
                case NotBodyExpr nb:
                    VisitBody(nb.Body, onTerm, onExpr);
                    break;
            }
        }
    }

    private static void VisitTerm(Term? t, Action<Term> onTerm, Action<Expr>? onExpr)
    {
        if (t is null)
        {
            return;
        }

        onTerm(t);
        switch (t)
        {
            case RefTerm r:
                VisitTerm(r.Head, onTerm, onExpr);
                foreach (var p in r.Path)
                {
                    VisitTerm(p, onTerm, onExpr);
                }

                break;
            case ArrayTerm a:
                foreach (var i in a.Items)
                {
                    VisitTerm(i, onTerm, onExpr);
                }

                break;
            case SetTerm s:
                foreach (var i in s.Items)
                {
                    VisitTerm(i, onTerm, onExpr);
                }

                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Entries)
                {
                    VisitTerm(k, onTerm, onExpr);
                    VisitTerm(v, onTerm, onExpr);
                }

                break;
            case CallTerm c:
                VisitTerm(c.Operator, onTerm, onExpr);
                foreach (var a in c.Args)
                {
                    VisitTerm(a, onTerm, onExpr);
                }

                break;
            case ComprehensionTerm ct:
                VisitTerm(ct.Key, onTerm, onExpr);
                VisitTerm(ct.Value, onTerm, onExpr);
                VisitBody(ct.Body, onTerm, onExpr);
                break;
            case TemplateStringTerm ts:
                foreach (var p in ts.Parts)
                {
                    VisitTerm(p as Term, onTerm, onExpr);
                }

                break;
        }
    }
}
