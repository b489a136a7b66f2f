using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Compilation;

// Rewriting terms and expressions: variables to frame slots or to data/input references, calls to targets.
internal sealed partial class PolicyCompiler
{
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

                if (c.OperatorName is "rego.metadata.chain" or "rego.metadata.rule" && c.Args.Length == 0)
                {
                    // Annotations are static: the call is replaced by its value for the enclosing rule.
                    return new ScalarTerm(c.OperatorName.EndsWith("chain", StringComparison.Ordinal) ? MetadataChain() : MetadataRule(), c.Location);
                }

                c.Target = ResolveCall(c.OperatorName, c.Location);
                if (c.Target.Arity >= 0 && (c.Args.Length < c.Target.Arity || c.Args.Length > c.Target.Arity + 1))
                {
                    throw new RegoCompileException(RegoErrorCodes.TypeError, $"{c.OperatorName}: arity mismatch", c.Location);
                }

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
