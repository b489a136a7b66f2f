using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

// Input guards (see Compilation.InputGuard): rules whose guards fail are skipped, and the guard literals of the
// others are not evaluated a second time.
internal sealed partial class Evaluator
{
    // A guard literal that does not hold means the rule's body cannot succeed. Mocks could replace `==`, so they
    // switch guards off.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool GuardsPass(Rule rule, ref GuardCache cache)
    {
        if (_mocks is not null)
        {
            return true;
        }

        foreach (var g in rule.Guards)
        {
            if (GuardValue(g.Path, ref cache) is not { } v || !v.Equals(g.Constant))
            {
                return false;
            }
        }

        return true;
    }

    // The input's value at a guard's path. Guards on one field share their path array (see PolicyCompiler), and
    // consecutive rules often test the same field (`input.subject.type == "service"`, then `== "agent"`): the last
    // lookup is kept while one node's rules are tried, tied to the input it was made on (values are immutable;
    // `with input` gives another input).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private Value? GuardValue(Value[] path, ref GuardCache cache)
    {
        if (ReferenceEquals(path, cache.Path) && ReferenceEquals(_input, cache.Input))
        {
            return cache.Value;
        }

        var v = InputGuard.At(_input, path);
        cache = new GuardCache(path, _input, v);
        return v;
    }

    /// <summary>The last guard lookup: a local of the loop over a node's rules, so keeping it writes no field of the
    /// evaluator (no GC write barrier, nothing to clear afterwards).</summary>
    private readonly record struct GuardCache(Value[]? Path, Value? Input, Value? Value);

    /// <summary>The literals of a rule's body still to evaluate once <see cref="GuardsPass"/> said yes: without
    /// mocks, a guard that held is a literal that holds (same lookup, same equality), so it is not evaluated again.</summary>
    private List<Expr> BodyAfterGuards(Rule rule)
    {
        if (_mocks is not null || rule.Guards.Length == 0)
        {
            return rule.Body.Exprs;
        }

        return rule.ExprsAfterGuards ??= WithoutGuards(rule);
    }

    // Apart from BodyAfterGuards so that its closures are only allocated once per rule.
    private static List<Expr> WithoutGuards(Rule rule) =>
        rule.Body.Exprs.FindAll(e => Array.FindIndex(rule.Guards, g => ReferenceEquals(g.Literal, e)) < 0);
}
