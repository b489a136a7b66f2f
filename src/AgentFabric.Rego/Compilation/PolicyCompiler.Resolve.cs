using AgentFabric.Rego.Ast;

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

            if (_imports.ContainsKey(imp.Name))
            {
                throw new RegoCompileException($"import must not shadow import {imp.Name}", imp.Location);
            }

            _imports[imp.Name] = imp.Path;
        }
    }

    private void CompileRule(Rule rule)
    {
        EnterModule(rule.Module);
        var counter = new SlotCounter();
        var scope = new Scope(null, counter);
        if (rule.Args is not null)
        {
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
    }

    /// <summary>Compiles a query in the context of no package; returns the slot names.</summary>
    public SlotCounter CompileQuery(Body query)
    {
        EnterModule(null);
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

    private void RewriteBody(Body body, Scope scope)
    {
        for (var i = 0; i < body.Exprs.Count; i++)
        {
            body.Exprs[i] = RewriteExpr(body.Exprs[i], scope);
        }
    }

    private Expr RewriteExpr(Expr e, Scope scope)
    {
        switch (e)
        {
            case TermExpr t:
                t.Term = Rewrite(t.Term, scope);
                if (t.Term is CallTerm { Target: { Arity: >= 0 } target } call && call.Args.Length == target.Arity + 1)
                {
                    // f(x, y) is y = f(x).
                    var output = call.Args[^1];
                    call.Args = call.Args[..^1];
                    var unify = new UnifyExpr(output, call, isAssignment: false, e.Location) { Negated = e.Negated, With = e.With };
                    e = unify;
                }

                break;
            case UnifyExpr u:
                u.Left = Rewrite(u.Left, scope);
                u.Right = Rewrite(u.Right, scope);
                break;
            case SomeDeclExpr s:
                foreach (var v in s.Vars)
                {
                    v.Slot = scope.SlotFor(v.Name);
                }

                break;
            case SomeInExpr si:
                si.Collection = Rewrite(si.Collection, scope);
                if (si.Key is not null)
                {
                    si.Key = Rewrite(si.Key, scope);
                }

                si.Value = Rewrite(si.Value, scope);
                break;
            case NotBodyExpr nb:
            {
                var child = new Scope(scope, scope.Counter);
                CollectNames(nb.Body, child);
                RewriteBody(nb.Body, child);
                var captured = new HashSet<int>();
                foreach (var inner in nb.Body.Exprs)
                {
                    ForEachTerm(inner, t => AllVars(t, captured), includeNestedBodies: true);
                }

                nb.Captured = captured.Where(s => !scope.Counter.Owners[s].IsWithin(child)).ToArray();
                break;
            }

            case EveryExpr ev:
            {
                ev.Domain = Rewrite(ev.Domain, scope);
                var child = new Scope(scope, scope.Counter);
                if (ev.Key is not null)
                {
                    CollectVarNames(ev.Key, child.Declared, patternOnly: true);
                }

                CollectVarNames(ev.Value, child.Declared, patternOnly: true);
                CollectNames(ev.Body, child);
                if (ev.Key is not null)
                {
                    ev.Key = Rewrite(ev.Key, child);
                }

                ev.Value = Rewrite(ev.Value, child);
                RewriteBody(ev.Body, child);
                var captured = new HashSet<int>();
                foreach (var inner in ev.Body.Exprs)
                {
                    ForEachTerm(inner, t => AllVars(t, captured), includeNestedBodies: true);
                }

                ev.Captured = captured.Where(s => !scope.Counter.Owners[s].IsWithin(child)).ToArray();
                break;
            }
        }

        foreach (var w in e.With)
        {
            w.Value = Rewrite(w.Value, scope);
            w.Resolved = ResolveWithTarget(w);
        }

        return e;
    }

    private Term Rewrite(Term t, Scope scope)
    {
        switch (t)
        {
            case VarTerm v:
                return ResolveVar(v, scope);
            case RefTerm r:
            {
                var head = Rewrite(r.Head, scope);
                var path = new Term[r.Path.Length];
                for (var i = 0; i < path.Length; i++)
                {
                    path[i] = Rewrite(r.Path[i], scope);
                }

                if (head is RefTerm hr)
                {
                    return new RefTerm(hr.Head, [.. hr.Path, .. path], r.Location);
                }

                r.Head = head;
                r.Path = path;
                return r;
            }

            case ArrayTerm a:
                for (var i = 0; i < a.Items.Length; i++)
                {
                    a.Items[i] = Rewrite(a.Items[i], scope);
                }

                return a;
            case SetTerm s:
                for (var i = 0; i < s.Items.Length; i++)
                {
                    s.Items[i] = Rewrite(s.Items[i], scope);
                }

                return s;
            case ObjectTerm o:
                for (var i = 0; i < o.Entries.Length; i++)
                {
                    o.Entries[i] = (Rewrite(o.Entries[i].Key, scope), Rewrite(o.Entries[i].Value, scope));
                }

                return o;
            case CallTerm c:
                for (var i = 0; i < c.Args.Length; i++)
                {
                    c.Args[i] = Rewrite(c.Args[i], scope);
                }

                c.Target = ResolveCall(c.OperatorName, c.Location);
                return c;
            case ComprehensionTerm comp:
            {
                var child = new Scope(scope, scope.Counter);
                CollectNames(comp.Body, child);
                if (comp.Key is not null)
                {
                    CollectVarNames(comp.Key, child.Mentioned, patternOnly: false);
                }

                CollectVarNames(comp.Value, child.Mentioned, patternOnly: false);
                var key = comp.Key is null ? null : Rewrite(comp.Key, child);
                var value = Rewrite(comp.Value, child);
                RewriteBody(comp.Body, child);
                var result = new ComprehensionTerm(comp.Kind, key, value, comp.Body, comp.Location);
                var all = new HashSet<int>();
                if (key is not null)
                {
                    AllVars(key, all);
                }

                AllVars(value, all);
                foreach (var inner in comp.Body.Exprs)
                {
                    ForEachTerm(inner, x => AllVars(x, all), includeNestedBodies: true);
                }

                result.Captured = all.Where(s => !scope.Counter.Owners[s].IsWithin(child)).ToArray();
                return result;
            }

            case TemplateStringTerm ts:
                for (var i = 0; i < ts.Parts.Length; i++)
                {
                    if (ts.Parts[i] is Term pt)
                    {
                        ts.Parts[i] = Rewrite(pt, scope);
                    }
                }

                return ts;
            default:
                return t;
        }
    }

    private Term ResolveVar(VarTerm v, Scope scope)
    {
        if (v.Slot != -1)
        {
            return v;
        }

        if (v.Name == "_")
        {
            v.Slot = scope.Allocate("_");
            return v;
        }

        var declaring = scope.FindDeclaring(v.Name);
        if (declaring is not null)
        {
            v.Slot = declaring.SlotFor(v.Name);
            return v;
        }

        if (ResolveGlobal(v.Name, v.Location) is { } global)
        {
            return global;
        }

        v.Slot = scope.OutermostMentioning(v.Name).SlotFor(v.Name);
        return v;
    }

    private static RefTerm RootRef(int slot, Location loc) =>
        new(new VarTerm(slot == SpecialSlots.Data ? "data" : "input", loc) { Slot = slot }, [], loc);

    private RefTerm? ResolveGlobal(string name, Location loc)
    {
        switch (name)
        {
            case "data":
                return RootRef(SpecialSlots.Data, loc);
            case "input":
                return RootRef(SpecialSlots.Input, loc);
        }

        if (_imports.TryGetValue(name, out var imp))
        {
            var root = ((VarTerm)imp.Head).Name == "data" ? SpecialSlots.Data : SpecialSlots.Input;
            return new RefTerm(RootRef(root, loc).Head, [.. imp.Path.Select(p => (Term)new ScalarTerm(((ScalarTerm)p).Value, loc))], loc);
        }

        if (_package is not null && _package.RuleNames.Contains(name))
        {
            var path = _package.Path.Append(name).Select(p => (Term)new ScalarTerm(StringValue.Create(p), loc)).ToArray();
            return new RefTerm(RootRef(SpecialSlots.Data, loc).Head, path, loc);
        }

        return null;
    }
}
