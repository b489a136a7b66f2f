using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Compilation;

/// <summary>A body literal that compares an input field with a constant (<c>input.method == "GET"</c>,
/// <c>input.user.type = "agent"</c>): when the input does not hold that value the rule cannot succeed, so the
/// evaluator skips it without evaluating its body.</summary>
internal sealed record InputGuard(Value[] Path, Value Constant)
{
    /// <summary>The body literal this guard was taken from (true whenever the guard holds).</summary>
    public Expr? Literal { get; init; }

    /// <summary>The path as one string, to group guards on the same field.</summary>
    public string PathKey => field ??= string.Join('\u0000', Path.Select(p => p is StringValue s ? "s" + s.Value : "n" + p));

    /// <summary>The guards of a rule without <c>else</c>: its plain (not negated, no <c>with</c>) equality literals
    /// between a constant input path and a constant.</summary>
    public static InputGuard[] Extract(Rule rule)
    {
        if (rule.Else is not null)
        {
            return [];
        }

        List<InputGuard>? guards = null;
        foreach (var e in rule.Body.Exprs)
        {
            if (e.Negated || e.With.Length > 0)
            {
                continue;
            }

            var (a, b) = e switch
            {
                TermExpr { Term: CallTerm { Target: BuiltinCallTarget { Builtin.Name: "equal" }, Args: [var x, var y] } } => (x, y),
                UnifyExpr { IsAssignment: false } u => (u.Left, u.Right),
                _ => (null, null),
            };
            if (a is null || b is null)
            {
                continue;
            }

            if ((Of(a, b) ?? Of(b, a)) is { } g)
            {
                // Only the catalog's own == (or a unification) is known to agree with the guard's equality.
                var agrees = e is UnifyExpr || e is TermExpr { Term: CallTerm { Target: BuiltinCallTarget { Operator: InlineOperator.Equal } } };
                (guards ??= []).Add(agrees ? g with { Literal = e } : g);
            }
        }

        return guards?.ToArray() ?? [];
    }

    private static InputGuard? Of(Term reference, Term constant)
    {
        if (reference is not RefTerm { Head: VarTerm { Slot: SpecialSlots.Input } } r || constant is not ScalarTerm c || r.Path.Length == 0)
        {
            return null;
        }

        var path = new Value[r.Path.Length];
        for (var i = 0; i < path.Length; i++)
        {
            if (r.Path[i] is not ScalarTerm { Value: StringValue or NumberValue } p)
            {
                return null;
            }

            path[i] = StringValue.Key(p.Value);
        }

        return new InputGuard(path, c.Value);
    }

    /// <summary>The input's value at the path, or null.</summary>
    public static Value? At(Value? input, Value[] path)
    {
        var cur = input;
        foreach (var p in path)
        {
            cur = cur switch
            {
                ObjectValue o => o.Get(p),
                ArrayValue a when p is NumberValue n && n.TryGetInt32(out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
            if (cur is null)
            {
                return null;
            }
        }

        return cur;
    }
}

/// <summary>An index of a node's rules by the constant one input field must equal (the field most rules test with
/// the most distinct values): a decision looks the field up once and evaluates only the rules that can match.</summary>
internal sealed class RuleIndex
{
    // Below this many rules, checking each rule's guards is as cheap as a lookup.
    private const int MinRules = 8;

    private readonly Dictionary<Value, int[]> _byValue;
    private readonly int[] _unguarded;

    private RuleIndex(Value[] path, Dictionary<Value, int[]> byValue, int[] unguarded)
    {
        Path = path;
        _byValue = byValue;
        _unguarded = unguarded;
    }

    public Value[] Path { get; }

    public static RuleIndex? Build(RuleNode node)
    {
        if (node.Rules.Count < MinRules)
        {
            return null;
        }

        // The field with the most distinct constants (one pass over every rule's guards).
        var constantsByField = new Dictionary<string, (Value[] Path, HashSet<Value> Constants)>(StringComparer.Ordinal);
        foreach (var (rule, _) in node.Rules)
        {
            foreach (var g in rule.Guards)
            {
                if (!constantsByField.TryGetValue(g.PathKey, out var entry))
                {
                    entry = (g.Path, new HashSet<Value>());
                    constantsByField[g.PathKey] = entry;
                }

                entry.Constants.Add(g.Constant);
            }
        }

        var best = (Path: (Value[]?)null, Key: "", Distinct: 0);
        foreach (var (key, (path, constants)) in constantsByField)
        {
            if (constants.Count > best.Distinct)
            {
                best = (path, key, constants.Count);
            }
        }

        if (best.Path is null || best.Distinct < 2)
        {
            return null;
        }

        var byValue = new Dictionary<Value, List<int>>();
        var unguarded = new List<int>();
        for (var i = 0; i < node.Rules.Count; i++)
        {
            if (GuardOn(node.Rules[i].Rule, best.Key) is { } v)
            {
                if (!byValue.TryGetValue(v, out var list))
                {
                    byValue[v] = list = [];
                }

                list.Add(i);
            }
            else
            {
                unguarded.Add(i);
            }
        }

        return new RuleIndex(best.Path, byValue.ToDictionary(e => e.Key, e => e.Value.ToArray()), [.. unguarded]);
    }

    /// <summary>Positions (ascending) of the rules that can succeed for this input.</summary>
    public int[] Candidates(Value? input)
    {
        var v = InputGuard.At(input, Path);
        if (v is null || !_byValue.TryGetValue(v, out var matched))
        {
            return _unguarded;
        }

        if (_unguarded.Length == 0)
        {
            return matched;
        }

        // Keep source order: rules are evaluated (and conflicts found) as without the index.
        var merged = new int[matched.Length + _unguarded.Length];
        int a = 0, b = 0, o = 0;
        while (a < matched.Length || b < _unguarded.Length)
        {
            merged[o++] = b == _unguarded.Length || (a < matched.Length && matched[a] < _unguarded[b]) ? matched[a++] : _unguarded[b++];
        }

        return merged;
    }

    private static Value? GuardOn(Rule rule, string pathKey)
    {
        foreach (var g in rule.Guards)
        {
            if (g.PathKey == pathKey)
            {
                return g.Constant;
            }
        }

        return null;
    }
}
