using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Compilation;

internal sealed partial class PolicyCompiler
{
    private Module? _module;
    private RuleNode? _package;
    private Dictionary<string, RefTerm> _imports = new(StringComparer.Ordinal);

    private void EnterModule(Module? m)
    {
        _module = m;
        _package = m is null ? null : PackageNode(m);
        _imports = new Dictionary<string, RefTerm>(StringComparer.Ordinal);
        if (m is null)
        {
            return;
        }

        foreach (var imp in m.Imports)
        {
            var root = ((VarTerm)imp.Path.Head).Name;
            if (root is not ("data" or "input"))
            {
                continue;
            }

            // A later import of the same name shadows an earlier one where that is allowed (Rego v0 outside strict
            // mode); StrictChecks.DuplicateImports rejects it everywhere else.
            _imports[imp.Name] = imp.Path;
        }
    }

    private void CompileRule(Rule rule)
    {
        EnterModule(rule.Module);
        _currentRule = rule;
        var counter = new SlotCounter();
        var scope = new Scope(null, counter);
        if (rule.Args is not null)
        {
            MoveTemplateArgsToBody(rule);
            foreach (var a in rule.Args)
            {
                CollectVarNames(a, scope.Declared, patternOnly: false);
            }
        }

        CollectNames(rule.Body, scope);
        for (var i = 1; i < rule.Head.Count; i++)
        {
            CollectVarNames(rule.Head[i], scope.Mentioned, patternOnly: false);
        }

        if (rule.Key is not null)
        {
            CollectVarNames(rule.Key, scope.Mentioned, patternOnly: false);
        }

        if (rule.Value is not null)
        {
            CollectVarNames(rule.Value, scope.Mentioned, patternOnly: false);
        }

        var bound = new HashSet<int>();
        if (rule.Args is not null)
        {
            for (var i = 0; i < rule.Args.Length; i++)
            {
                rule.Args[i] = Rewrite(rule.Args[i], scope);
                AllVars(rule.Args[i], bound);
            }
        }

        RewriteBody(rule.Body, scope);
        for (var i = 1; i < rule.Head.Count; i++)
        {
            rule.Head[i] = Rewrite(rule.Head[i], scope);
        }

        if (rule.Key is not null)
        {
            rule.Key = Rewrite(rule.Key, scope);
        }

        rule.Value = rule.Value is null ? new ScalarTerm(BooleanValue.True, rule.Location) : Rewrite(rule.Value, scope);

        BodyScheduler.Schedule(rule.Body, bound, counter);
        var headTerms = rule.Head.Skip(1).Append(rule.Value);
        if (rule.Key is not null)
        {
            headTerms = headTerms.Append(rule.Key);
        }

        foreach (var t in headTerms)
        {
            BodyScheduler.CheckTermSafe(t, bound, counter, t.Location);
        }

        rule.SlotCount = counter.Count;
        rule.HasConstantOutput = Evaluation.TermConstant.ToValue(rule.Kind == RuleKind.MultiValue ? rule.Key! : rule.Value) is not null &&
            rule.Head.Skip(1).All(h => h is ScalarTerm);
    }

    // A template string argument is not a pattern (its text depends on vars the body binds): `f($"{x}") if {...}`
    // becomes `f(a) if { a = $"{x}"; ... }`, scheduled like any other expression.
    private static void MoveTemplateArgsToBody(Rule rule)
    {
        for (var i = 0; i < rule.Args!.Length; i++)
        {
            if (rule.Args[i] is TemplateStringTerm ts)
            {
                var name = $"$arg{i}";
                rule.Args[i] = new VarTerm(name, ts.Location);
                rule.Body.Exprs.Insert(0, new UnifyExpr(new VarTerm(name, ts.Location), ts, isAssignment: false, ts.Location));
            }
        }
    }

    /// <summary>Compiles a query in the context of no package; returns the slot names.</summary>
    public SlotCounter CompileQuery(Body query)
    {
        EnterModule(null);
        _currentRule = null;
        var counter = new SlotCounter();
        var scope = new Scope(null, counter);
        CollectNames(query, scope);
        RewriteBody(query, scope);
        BodyScheduler.Schedule(query, [], counter);
        return counter;
    }

    /// <summary>Collects declared and mentioned names of one body level (not nested bodies).</summary>
    private static void CollectNames(Body body, Scope scope)
    {
        foreach (var e in body.Exprs)
        {
            switch (e)
            {
                case SomeDeclExpr s:
                    foreach (var v in s.Vars)
                    {
                        scope.Declared.Add(v.Name);
                    }

                    break;
                case UnifyExpr { IsAssignment: true } u:
                    CollectVarNames(u.Left, scope.Declared, patternOnly: true);
                    break;
                case SomeInExpr si:
                    if (si.Key is not null)
                    {
                        CollectVarNames(si.Key, scope.Declared, patternOnly: true);
                    }

                    CollectVarNames(si.Value, scope.Declared, patternOnly: true);
                    break;
            }

            ForEachTerm(e, t => CollectVarNames(t, scope.Mentioned, patternOnly: false), includeNestedBodies: false);
        }
    }

    private static void CollectVarNames(Term t, HashSet<string> names, bool patternOnly)
    {
        switch (t)
        {
            case VarTerm v when v.Name != "_":
                names.Add(v.Name);
                break;
            case ArrayTerm a:
                foreach (var i in a.Items)
                {
                    CollectVarNames(i, names, patternOnly);
                }

                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Entries)
                {
                    if (!patternOnly)
                    {
                        CollectVarNames(k, names, patternOnly);
                    }

                    CollectVarNames(v, names, patternOnly);
                }

                break;
            case RefTerm r when !patternOnly:
                CollectVarNames(r.Head, names, patternOnly);
                foreach (var p in r.Path)
                {
                    CollectVarNames(p, names, patternOnly);
                }

                break;
            case SetTerm s when !patternOnly:
                foreach (var i in s.Items)
                {
                    CollectVarNames(i, names, patternOnly);
                }

                break;
            case CallTerm c when !patternOnly:
                foreach (var a in c.Args)
                {
                    CollectVarNames(a, names, patternOnly);
                }

                break;
            case TemplateStringTerm ts when !patternOnly:
                foreach (var p in ts.Parts)
                {
                    if (p is Term pt)
                    {
                        CollectVarNames(pt, names, patternOnly);
                    }
                }

                break;
        }
    }

    /// <summary>Visits the top-level terms of an expression (not those of nested bodies).</summary>
    internal static void ForEachTerm(Expr e, Action<Term> visit, bool includeNestedBodies)
    {
        switch (e)
        {
            case TermExpr t:
                visit(t.Term);
                break;
            case UnifyExpr u:
                visit(u.Left);
                visit(u.Right);
                break;
            case SomeInExpr si:
                if (si.Key is not null)
                {
                    visit(si.Key);
                }

                visit(si.Value);
                visit(si.Collection);
                break;
            case NotBodyExpr nb when includeNestedBodies:
                foreach (var inner in nb.Body.Exprs)
                {
                    ForEachTerm(inner, visit, includeNestedBodies);
                }

                break;
            case EveryExpr ev:
                visit(ev.Domain);
                if (includeNestedBodies)
                {
                    foreach (var inner in ev.Body.Exprs)
                    {
                        ForEachTerm(inner, visit, includeNestedBodies);
                    }
                }

                break;
        }

        foreach (var w in e.With)
        {
            visit(w.Value);
        }
    }
}
