using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego.Compilation;

/// <summary>
/// OPA's compiler strict mode (<c>opa check --strict</c>, docs "Strict Mode"), on the modules as written, before any
/// rewriting. Each check reports every finding into a list; the compiler runs them as stages, in OPA's order:
/// unused imports, <c>input</c>/<c>data</c> shadowing, unused local assignments and function arguments, deprecated
/// builtins. This file holds the unused-locals check: a local assigned with <c>:=</c> and never read is a
/// <c>rego_compile_error</c> "assigned var x unused" — most often a typo that silently turns a check into a fresh
/// variable. A name counts as read when it appears anywhere else in the rule (head, arguments, body, nested bodies,
/// comprehensions, <c>with</c>), so shadowing can hide a finding but never invents one.
/// </summary>
internal static partial class StrictChecks
{
    /// <summary>Unused <c>:=</c> locals and unused function arguments of every rule.</summary>
    public static void UnusedLocals(Module module, List<RegoError> errors)
    {
        foreach (var first in module.Rules)
        {
            for (var rule = first; rule is not null; rule = rule.Else)
            {
                CheckRule(rule, errors);
            }

            UnusedArguments(first, errors);
        }
    }

    private static void CheckRule(Rule rule, List<RegoError> errors)
    {
        var uses = new Dictionary<string, int>(StringComparer.Ordinal);
        var assigned = new List<VarTerm>();
        foreach (var t in (Term?[])[.. rule.Head.Skip(1), rule.Key, rule.Value, .. rule.Args ?? []])
        {
            Count(t, uses, assigned);
        }

        Walk(rule.Body, uses, assigned);
        foreach (var v in assigned)
        {
            if (uses.GetValueOrDefault(v.Name) == 1)
            {
                errors.Add(new RegoError(RegoErrorCodes.CompileError, $"assigned var {v.Name} unused", v.Location));
            }
        }
    }

    // A function argument must be read in the head's value or in the body of the rule or of one of its else
    // clauses (OPA issues 5602 and 5758); a wildcard says the argument is deliberately ignored.
    private static void UnusedArguments(Rule first, List<RegoError> errors)
    {
        if (first.Args is not { Length: > 0 } args)
        {
            return;
        }

        var declared = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var a in args)
        {
            Count(a, declared, []);
        }

        var uses = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var rule = first; rule is not null; rule = rule.Else)
        {
            foreach (var t in (Term?[])[.. rule.Head.Skip(1), rule.Key, rule.Value])
            {
                Count(t, uses, []);
            }

            Walk(rule.Body, uses, []);
        }

        foreach (var (name, count) in declared)
        {
            if (name != "_" && !name.StartsWith('$') && count == 1 && !uses.ContainsKey(name))
            {
                errors.Add(new RegoError(
                    RegoErrorCodes.CompileError, $"unused argument {name}. (hint: use _ (wildcard variable) instead)", first.Location));
            }
        }
    }

    // Every read of a name counts once; `:=` targets are collected into assigned. A `some x` declaration alone is
    // not a read: it leaves x unused.
    private static void Walk(Body body, Dictionary<string, int> uses, List<VarTerm> assigned) =>
        VisitBody(body, t => CountVar(t, uses), e => CollectAssigned(e, assigned), declarations: false);

    private static void Count(Term? t, Dictionary<string, int> uses, List<VarTerm> assigned) =>
        VisitTerm(t, term => CountVar(term, uses), e => CollectAssigned(e, assigned), declarations: false);

    private static void CountVar(Term t, Dictionary<string, int> uses)
    {
        if (t is VarTerm v)
        {
            uses[v.Name] = uses.GetValueOrDefault(v.Name) + 1;
        }
    }

    private static void CollectAssigned(Expr e, List<VarTerm> assigned)
    {
        if (e is UnifyExpr { IsAssignment: true } assignment)
        {
            Assigned(assignment.Left, assigned);
        }
    }

    // Only plain variables and array patterns (`[a, b] := xs`) are assignment targets.
    private static void Assigned(Term left, List<VarTerm> assigned)
    {
        switch (left)
        {
            case VarTerm v when v.Name != "_" && !v.Name.StartsWith("__", StringComparison.Ordinal):
                assigned.Add(v);
                break;
            case ArrayTerm a:
                foreach (var item in a.Items)
                {
                    Assigned(item, assigned);
                }

                break;
        }
    }
}
