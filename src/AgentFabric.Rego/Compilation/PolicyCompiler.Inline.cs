using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Compilation;

// Small helper rules are inlined where another rule's body refers to them, as OPA's optimizing bundle build does:
//   is_item if input.path[0] == "items"           used as a literal: its body's literals in its place;
//   caller := data.callers[input.caller]          used in a reference: `caller.scopes` becomes
//                                                 `data.callers[input.caller].scopes`;
//   grants contains g if {                        iterated by `some g in grants`: its loops in its place, binding g
//     some r in data.roles[input.user]            where it binds its member (its other locals on new slots).
//     some g in data.grants[r]
//   }
// Otherwise each reference costs a rule evaluation (cache lookup, frame, body walk) for what is one literal, and a
// set is built in full before its first member is looked at.
// A helper qualifies when it is its node's only rule (no default, no else, no other definitions). A boolean or
// value helper has no locals and reads only input, data and constants through deterministic builtins of the
// standard catalog, so its terms mean the same wherever they are placed. A set helper is made of loops and
// comparisons over input and base data alone: none of its literals can fail, so iterating its definition finds the
// same members and raises the same errors (none) as iterating the built set; only order and repetitions differ,
// which no rule's value depends on (a rule that prints keeps its loop on the set). The copy of a rule is kept
// beside the original (Rule.Inlined); the evaluator uses it only when no `with` replaces data and data holds no
// document at a helper's path, since an override or a merged document must still be seen. Errors keep their
// locations: the inlined terms are the helper's own.
internal sealed partial class PolicyCompiler
{
    private void InlineHelpers()
    {
        var helpers = new Dictionary<RuleNode, Rule?>();
        foreach (var node in AllNodes(_root))
        {
            if (!node.IsSimpleLeaf || node.IsFunction)
            {
                continue;
            }

            foreach (var (rule, _) in node.Rules)
            {
                if (rule.Else is null && InlinedCopy(rule, helpers) is { } copy)
                {
                    rule.Inlined = copy;
                }
            }
        }
    }

    // The rule's body with its helper references inlined; null when it refers to none (most rules: nothing is
    // allocated for them).
    private Rule? InlinedCopy(Rule rule, Dictionary<RuleNode, Rule?> helpers)
    {
        var body = rule.Body.Exprs;
        List<Expr>? exprs = null;
        List<RuleNode>? inlinedFrom = null;
        var slots = rule.SlotCount;
        for (var i = 0; i < body.Count; i++)
        {
            var e = body[i];
            IEnumerable<Expr> replacement;

            // A literal naming a boolean helper: the helper's literals in its place.
            if (e is TermExpr { Negated: false, With.Length: 0, Term: RefTerm r } &&
                HelperAt(r, helpers, out var node, out var helper, out var consumed) && consumed == r.Path.Length &&
                helper.Kind == RuleKind.SingleValue && helper.Body.Exprs.Count > 0 &&
                helper.Value is ScalarTerm { Value: BooleanValue { Value: true } })
            {
                (inlinedFrom ??= []).Add(node);
                replacement = helper.Body.Exprs;
            }
            else if (e is SomeInExpr { Negated: false, With.Length: 0, Key: null, Value: VarTerm { Slot: >= 0 } member, Collection: RefTerm set } &&
                !Prints(rule) &&
                HelperAt(set, helpers, out node, out helper, out consumed) && consumed == set.Path.Length &&
                helper.Kind == RuleKind.MultiValue)
            {
                (inlinedFrom ??= []).Add(node);
                replacement = WithSlots(helper, member.Slot, ref slots);
            }
            else if (e.With.Length == 0 && RewriteRefs(e, helpers, ref inlinedFrom) is { } rewritten)
            {
                replacement = [rewritten];
            }
            else
            {
                exprs?.Add(e);
                continue;
            }

            exprs ??= [.. body.Take(i)];
            exprs.AddRange(replacement);
        }

        return exprs is null ? null : rule.WithBody(new Body(exprs, rule.Body.Location), slots, [.. inlinedFrom!.Distinct()]);
    }

    // A rule that prints would print once per repetition of a member: its set loops stay as written.
    private static bool Prints(Rule rule)
    {
        var prints = false;
        StrictChecks.VisitRule(rule, t => prints |= t is CallTerm { Target: BuiltinCallTarget { Builtin.Name: "print" } });
        return prints;
    }

    // A set helper's literals on slots of the rule it is inlined into: its member variable becomes the loop's
    // variable, its other locals take new slots after the rule's own.
    private static List<Expr> WithSlots(Rule helper, int memberSlot, ref int slots)
    {
        var map = new int[helper.SlotCount];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = i == ((VarTerm)helper.Key!).Slot ? memberSlot : slots++;
        }

        return helper.Body.Exprs.Select(e => Copy(e, e switch
        {
            TermExpr t => new TermExpr(WithSlots(t.Term, map), t.Location),
            UnifyExpr u => new UnifyExpr(WithSlots(u.Left, map), WithSlots(u.Right, map), u.IsAssignment, u.Location),
            SomeInExpr si => (Expr)new SomeInExpr(si.Key is null ? null : WithSlots(si.Key, map), WithSlots(si.Value, map), WithSlots(si.Collection, map), si.Location),
            _ => throw new InvalidOperationException($"literal {e} cannot be inlined"),
        })).ToList();
    }

    private static Term WithSlots(Term t, int[] map) => t switch
    {
        VarTerm { Slot: >= 0 } v => new VarTerm(v.Name, v.Location) { Slot = map[v.Slot] },
        RefTerm r => new RefTerm(WithSlots(r.Head, map), [.. r.Path.Select(p => WithSlots(p, map))], r.Location),
        CallTerm c => new CallTerm(c.Operator, [.. c.Args.Select(a => WithSlots(a, map))], c.Location) { OperatorName = c.OperatorName, Target = c.Target },
        ScalarTerm or VarTerm => t,
        _ => throw new InvalidOperationException($"term {t} cannot be inlined"),
    };

    // The literal with references to value helpers (`caller.scopes`) in its operands replaced by the helper's
    // value; null when it has none.
    private Expr? RewriteRefs(Expr e, Dictionary<RuleNode, Rule?> helpers, ref List<RuleNode>? inlinedFrom)
    {
        switch (e)
        {
            case TermExpr t when Rewrite(t.Term, helpers, ref inlinedFrom) is { } term:
                return Copy(t, new TermExpr(term, t.Location));
            case UnifyExpr u when (Rewrite(u.Left, helpers, ref inlinedFrom), Rewrite(u.Right, helpers, ref inlinedFrom)) is var (l, r) && (l ?? r) is not null:
                return Copy(u, new UnifyExpr(l ?? u.Left, r ?? u.Right, u.IsAssignment, u.Location));
            case SomeInExpr si when Rewrite(si.Collection, helpers, ref inlinedFrom) is { } collection:
                return Copy(si, new SomeInExpr(si.Key, si.Value, collection, si.Location));
            default:
                return null;
        }
    }

    // The term with helper references replaced (a reference itself, or a call's argument); null when unchanged.
    private Term? Rewrite(Term t, Dictionary<RuleNode, Rule?> helpers, ref List<RuleNode>? inlinedFrom)
    {
        if (t is RefTerm r && HelperAt(r, helpers, out var node, out var helper, out var consumed) &&
            helper.Body.Exprs.Count == 0 && helper.Value is RefTerm value)
        {
            (inlinedFrom ??= []).Add(node);
            return new RefTerm(value.Head, [.. value.Path, .. r.Path.AsSpan(consumed)], r.Location);
        }

        if (t is not CallTerm c)
        {
            return null;
        }

        Term[]? args = null;
        for (var i = 0; i < c.Args.Length; i++)
        {
            if (Rewrite(c.Args[i], helpers, ref inlinedFrom) is { } arg)
            {
                args ??= [.. c.Args];
                args[i] = arg;
            }
        }

        return args is null ? null : new CallTerm(c.Operator, args, c.Location) { OperatorName = c.OperatorName, Target = c.Target };
    }

    private static T Copy<T>(Expr from, T to)
        where T : Expr
    {
        to.Negated = from.Negated;
        to.With = from.With;
        to.CaptureIndex = from.CaptureIndex;
        return to;
    }

    // Whether the reference starts with the path of an inlinable helper rule; consumed: the path operands naming it.
    private bool HelperAt(RefTerm r, Dictionary<RuleNode, Rule?> helpers, out RuleNode node, out Rule helper, out int consumed)
    {
        node = null!;
        helper = null!;
        consumed = 0;
        if (r.Head is not VarTerm { Slot: SpecialSlots.Data })
        {
            return false;
        }

        var n = _root;
        foreach (var p in r.Path)
        {
            if (p is not ScalarTerm { Value: StringValue s } || !n.Children.TryGetValue(s.Value, out var child))
            {
                return false;
            }

            n = child;
            consumed++;
            if (n.Rules.Count > 0 || n.Default is not null || n.IsFunction)
            {
                break;
            }
        }

        if (!helpers.TryGetValue(n, out var h))
        {
            h = Inlinable(n);
            helpers[n] = h;
        }

        node = n;
        helper = h!;
        return h is not null;
    }

    // The node's rule when it can be inlined: the only definition, closed over input, data and constants.
    private Rule? Inlinable(RuleNode node)
    {
        if (!node.IsSimpleLeaf || node.IsFunction || node.Default is not null || node.Rules.Count != 1 ||
            node.DataOnlyIndex >= 0 || node.Children.Count > 0)
        {
            return null;
        }

        var rule = node.Rules[0].Rule;
        if (rule.Else is not null || rule.Head.Count != 1)
        {
            return null;
        }

        var closed = true;
        if (rule.Kind == RuleKind.SingleValue && rule.SlotCount == 0)
        {
            StrictChecks.VisitRule(
                rule,
                t => closed &= IsClosed(t),
                e => closed &= e is TermExpr or UnifyExpr { IsAssignment: false } && e.With.Length == 0);
            return closed ? rule : null;
        }

        // A set of loops and comparisons over input and base data (no other rule is evaluated, nothing can fail).
        if (rule.Kind == RuleKind.MultiValue && rule.Key is VarTerm { Slot: >= 0 } && rule.Body.Exprs.Count > 0 &&
            !(_dependencies.TryGetValue(node, out var deps) && deps.Count > 0))
        {
            StrictChecks.VisitRule(
                rule,
                t => closed &= IsLoopTerm(t),
                e => closed &= e is SomeInExpr { Key: null or VarTerm, Value: VarTerm } or TermExpr or UnifyExpr { IsAssignment: false } && e.With.Length == 0);
            return closed ? rule : null;
        }

        return null;
    }

    private static bool IsLoopTerm(Term t) => t switch
    {
        _ when ReachesAnyRule(t) => false,
        CallTerm { Target: BuiltinCallTarget { Operator: InlineOperator.Equal or InlineOperator.NotEqual } } => true,
        ScalarTerm or VarTerm or RefTerm => true,
        _ => false,
    };

    private static bool IsClosed(Term t) => t switch
    {
        // Locals have slots from 0 (the rule has none); a called builtin's name is a variable without a slot.
        VarTerm v => v.Slot < 0,

        _ when ReachesAnyRule(t) => false,
        CallTerm { Target: BuiltinCallTarget b } => IsStandardDeterministic(b),
        CallTerm or ComprehensionTerm or TemplateStringTerm => false,
        _ => true,
    };
}
