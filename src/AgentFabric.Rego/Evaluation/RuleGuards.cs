using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

/// <summary>Input guards (see <see cref="InputGuard"/>) checked rule after rule of one node: a rule whose guards do
/// not hold cannot succeed and is skipped, and the guard literals of a rule whose guards hold are not evaluated a
/// second time (<see cref="BodyAfter"/>).</summary>
/// <remarks>Guards on one field share their path array (see PolicyCompiler), and consecutive rules often test the
/// same field (<c>input.subject.type == "service"</c>, then <c>== "agent"</c>): the last lookup is kept while one
/// node's rules are tried, tied to the input it was made on (values are immutable; <c>with input</c> gives another
/// input). A local of the loop over a node's rules, so keeping it writes no field of the evaluator (no GC write
/// barrier, nothing to clear after the decision).</remarks>
internal struct RuleGuards
{
    private Value[]? _path;
    private Value? _input;
    private Value? _value;

    /// <summary>Whether every guard of <paramref name="rule"/> holds for <paramref name="input"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool Pass(Rule rule, Value? input)
    {
        foreach (var g in rule.Guards)
        {
            if (ValueAt(g.Path, input) is not { } v || !v.Equals(g.Constant))
            {
                return false;
            }
        }

        return true;
    }

    // The input's value at a guard's path: the last lookup again, or a new one kept in its place.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private Value? ValueAt(Value[] path, Value? input)
    {
        if (ReferenceEquals(path, _path) && ReferenceEquals(input, _input))
        {
            return _value;
        }

        var v = InputGuard.At(input, path);
        _path = path;
        _input = input;
        _value = v;
        return v;
    }

    /// <summary>The literals of a rule's body still to evaluate once <see cref="Pass"/> said yes: a guard that held
    /// is a literal that holds (same lookup, same equality), so it is not evaluated again. Worked out once per rule.</summary>
    public static List<Expr> BodyAfter(Rule rule) =>
        rule.Guards.Length == 0 ? rule.Body.Exprs : rule.ExprsAfterGuards ??= WithoutGuards(rule);

    // Apart from BodyAfter so that its closures are only allocated once per rule.
    private static List<Expr> WithoutGuards(Rule rule) =>
        rule.Body.Exprs.FindAll(e => Array.FindIndex(rule.Guards, g => ReferenceEquals(g.Literal, e)) < 0);
}
