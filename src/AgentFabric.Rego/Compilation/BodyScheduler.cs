using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego.Compilation;

/// <summary>Orders the literals of a body so each runs after the literals that bind the variables it reads (OPA's
/// safety reordering), keeping source order where that is already safe, and reports unsafe variables.</summary>
internal static class BodyScheduler
{
    public static void Schedule(Body body, HashSet<int> bound, SlotCounter counter)
    {
        var pending = new List<Expr>(body.Exprs);
        var ordered = new List<Expr>(pending.Count);
        while (pending.Count > 0)
        {
            var placed = false;
            for (var i = 0; i < pending.Count; i++)
            {
                var e = pending[i];
                if (!IsReady(e, bound))
                {
                    continue;
                }

                pending.RemoveAt(i);
                Place(e, bound, counter);
                ordered.Add(e);
                placed = true;
                break;
            }

            if (!placed)
            {
                // OPA reports every unsafe var of every expression left over, not only the first.
                var errors = new List<RegoError>();
                foreach (var e in pending)
                {
                    UnsafeVarErrors(e, bound, counter, errors);
                }

                throw new RegoCompileException(errors);
            }
        }

        body.Exprs = ordered;
    }

    private static void UnsafeVarErrors(Expr e, HashSet<int> bound, SlotCounter counter, List<RegoError> errors)
    {
        if (UndeclaredPrintOperands(e, bound, counter, errors))
        {
            return;
        }

        var needs = Needs(e);
        needs.ExceptWith(bound);
        var unsafeVars = needs.Select(s => counter.Names[s]).Where(n => n != "_").Distinct().Order(StringComparer.Ordinal).ToList();
        if (unsafeVars.Count == 0)
        {
            var outs = new HashSet<int>();
            Outputs(e, outs);
            outs.ExceptWith(bound);
            unsafeVars = outs.Select(s => counter.Names[s]).Where(n => n != "_").Distinct().Order(StringComparer.Ordinal).ToList();
        }

        if (unsafeVars.Count == 0)
        {
            unsafeVars.Add("_");
        }

        foreach (var name in unsafeVars)
        {
            errors.Add(new RegoError(RegoErrorCodes.UnsafeVarError, $"var {name} is unsafe", e.Location));
        }
    }

    // print() must be reached even when an operand is undefined, so OPA reports each operand nothing binds as
    // undeclared, at the operand, rather than the whole call as unsafe.
    private static bool UndeclaredPrintOperands(Expr e, HashSet<int> bound, SlotCounter counter, List<RegoError> errors)
    {
        if (e is not TermExpr { Term: CallTerm { Operator: VarTerm { Name: "print" } } call })
        {
            return false;
        }

        var found = false;
        foreach (var arg in call.Args)
        {
            if (arg is VarTerm { Slot: >= 0 } v && !bound.Contains(v.Slot) && counter.Names[v.Slot] != "_")
            {
                errors.Add(new RegoError(RegoErrorCodes.CompileError, $"var {counter.Names[v.Slot]} is undeclared", v.Location));
                found = true;
            }
        }

        return found;
    }

    public static void CheckTermSafe(Term t, HashSet<int> bound, SlotCounter counter, Location location)
    {
        var all = new HashSet<int>();
        PolicyCompiler.AllVars(t, all);
        var refs = new HashSet<int>();
        PolicyCompiler.RefPathVars(t, refs);
        all.ExceptWith(refs);
        all.ExceptWith(bound);
        if (all.Count > 0)
        {
            throw new RegoCompileException(all.Select(s => counter.Names[s]).Distinct().Order(StringComparer.Ordinal)
                .Select(name => new RegoError(RegoErrorCodes.UnsafeVarError, $"var {name} is unsafe", location)).ToList());
        }

        ScheduleNested(t, bound, counter);
        bound.UnionWith(refs);
    }

    private static HashSet<int> Needs(Expr e)
    {
        var all = new HashSet<int>();
        PolicyCompiler.ForEachTerm(e, t => PolicyCompiler.AllVars(t, all), includeNestedBodies: false);
        if (e is NotBodyExpr nb)
        {
            all.UnionWith(nb.Captured);
        }

        if (e is EveryExpr ev)
        {
            all.UnionWith(ev.Captured);
            if (ev.Key is not null)
            {
                PolicyCompiler.AllVars(ev.Key, all);
            }

            PolicyCompiler.AllVars(ev.Value, all);
            var locals = new HashSet<int>();
            if (ev.Key is not null)
            {
                PolicyCompiler.AllVars(ev.Key, locals);
            }

            PolicyCompiler.AllVars(ev.Value, locals);
            all.ExceptWith(locals);
        }

        foreach (var w in e.With)
        {
            if (w.Resolved?.Replacement is not null)
            {
                PolicyCompiler.AllVars(w.Value, all);
                var replacementVars = new HashSet<int>();
                PolicyCompiler.AllVars(w.Value, replacementVars);
                all.ExceptWith(replacementVars);
            }
        }

        if (e.Negated)
        {
            // Wildcards inside a negation are local to it; every other variable must be bound before.
            return all;
        }

        var outs = new HashSet<int>();
        Outputs(e, outs);
        all.ExceptWith(outs);
        return all;
    }

    private static void Outputs(Expr e, HashSet<int> outs)
    {
        switch (e)
        {
            case TermExpr t:
                PolicyCompiler.RefPathVars(t.Term, outs);
                break;
            case UnifyExpr u:
                PolicyCompiler.PatternVars(u.Left, outs);
                PolicyCompiler.PatternVars(u.Right, outs);
                break;
            case SomeInExpr si:
                if (si.Key is not null)
                {
                    PolicyCompiler.PatternVars(si.Key, outs);
                }

                PolicyCompiler.PatternVars(si.Value, outs);
                PolicyCompiler.RefPathVars(si.Collection, outs);
                break;
        }
    }

    private static bool IsReady(Expr e, HashSet<int> bound)
    {
        var needs = Needs(e);
        if (e.Negated)
        {
            needs.RemoveWhere(s => IsWildcardSlot(e, s));
        }

        if (!needs.IsSubsetOf(bound))
        {
            return false;
        }

        return e is not UnifyExpr u || CanUnify(u.Left, u.Right, bound);
    }

    // In a negated literal, wildcard variables need not be bound.
    private static bool IsWildcardSlot(Expr e, int slot)
    {
        var found = false;
        PolicyCompiler.ForEachTerm(e, t => found |= HasWildcard(t, slot), includeNestedBodies: false);
        return found;
    }

    private static bool HasWildcard(Term t, int slot) => t switch
    {
        VarTerm v => v.Slot == slot && v.IsWildcard,
        RefTerm r => HasWildcard(r.Head, slot) || r.Path.Any(p => HasWildcard(p, slot)),
        ArrayTerm a => a.Items.Any(i => HasWildcard(i, slot)),
        SetTerm s => s.Items.Any(i => HasWildcard(i, slot)),
        ObjectTerm o => o.Entries.Any(x => HasWildcard(x.Key, slot) || HasWildcard(x.Value, slot)),
        CallTerm c => c.Args.Any(a => HasWildcard(a, slot)),
        _ => false,
    };

    private static bool CanUnify(Term a, Term b, HashSet<int> bound)
    {
        if (Evaluable(a, bound) || Evaluable(b, bound))
        {
            return true;
        }

        if (a is ArrayTerm aa && b is ArrayTerm ba && aa.Items.Length == ba.Items.Length)
        {
            for (var i = 0; i < aa.Items.Length; i++)
            {
                if (!CanUnify(aa.Items[i], ba.Items[i], bound))
                {
                    return false;
                }
            }

            return true;
        }

        if (a is ObjectTerm ao && b is ObjectTerm bo && ao.Entries.Length == bo.Entries.Length)
        {
            // Keys are ground; pair values by key text.
            foreach (var (k, v) in ao.Entries)
            {
                var match = bo.Entries.FirstOrDefault(x => x.Key.ToString() == k.ToString());
                if (match.Value is null || !CanUnify(v, match.Value, bound))
                {
                    return false;
                }
            }

            return true;
        }

        return false;
    }

    // A term can be evaluated to values when every variable it reads outside reference keys is bound.
    private static bool Evaluable(Term t, HashSet<int> bound)
    {
        var all = new HashSet<int>();
        PolicyCompiler.AllVars(t, all);
        var refs = new HashSet<int>();
        if (t is not VarTerm)
        {
            PolicyCompiler.RefPathVars(t, refs);
        }

        all.ExceptWith(refs);
        return all.IsSubsetOf(bound);
    }

    private static void Place(Expr e, HashSet<int> bound, SlotCounter counter)
    {
        // Nested bodies see what is bound when this literal runs.
        PolicyCompiler.ForEachTerm(e, t => ScheduleNested(t, bound, counter), includeNestedBodies: false);
        if (e is NotBodyExpr nb)
        {
            Schedule(nb.Body, new HashSet<int>(bound), counter);
        }

        if (e is EveryExpr ev)
        {
            var inner = new HashSet<int>(bound);
            if (ev.Key is not null)
            {
                PolicyCompiler.AllVars(ev.Key, inner);
            }

            PolicyCompiler.AllVars(ev.Value, inner);
            Schedule(ev.Body, inner, counter);
        }

        if (!e.Negated)
        {
            var outs = new HashSet<int>();
            Outputs(e, outs);
            bound.UnionWith(outs);
        }
    }

    private static void ScheduleNested(Term t, HashSet<int> bound, SlotCounter counter)
    {
        switch (t)
        {
            case ComprehensionTerm c:
            {
                var inner = new HashSet<int>(bound);
                Schedule(c.Body, inner, counter);
                if (c.Key is not null)
                {
                    CheckTermSafe(c.Key, inner, counter, c.Key.Location);
                }

                CheckTermSafe(c.Value, inner, counter, c.Value.Location);
                break;
            }

            case RefTerm r:
                ScheduleNested(r.Head, bound, counter);
                foreach (var p in r.Path)
                {
                    ScheduleNested(p, bound, counter);
                }

                break;
            case ArrayTerm a:
                foreach (var i in a.Items)
                {
                    ScheduleNested(i, bound, counter);
                }

                break;
            case SetTerm s:
                foreach (var i in s.Items)
                {
                    ScheduleNested(i, bound, counter);
                }

                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Entries)
                {
                    ScheduleNested(k, bound, counter);
                    ScheduleNested(v, bound, counter);
                }

                break;
            case CallTerm call:
                foreach (var a in call.Args)
                {
                    ScheduleNested(a, bound, counter);
                }

                break;
            case TemplateStringTerm ts:
                foreach (var p in ts.Parts)
                {
                    if (p is Term pt)
                    {
                        ScheduleNested(pt, bound, counter);
                    }
                }

                break;
        }
    }
}
