using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Compilation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

/// <summary>Where the leading constant keys of a <c>data</c> reference lead in a policy (<c>data.roles</c> in
/// <c>data.roles[r]</c>): the rule-tree node and base document reached, and how many keys that took. The rule tree
/// and base data of a compiled policy never change, so the walk is done once and kept on the reference; evaluation
/// continues from there exactly as if it had walked those keys itself.</summary>
internal sealed class DataPrefix(CompiledPolicy policy, RuleNode? node, Value? baseValue, int index)
{
    public CompiledPolicy Policy { get; } = policy;

    public RuleNode? Node { get; } = node;

    public Value? Base { get; } = baseValue;

    public int Index { get; } = index;

    /// <summary>The prefix of a <c>data</c> reference in <paramref name="policy"/>: walked on the reference's first
    /// evaluation and kept on it (a reference evaluated against another policy walks again).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static DataPrefix Of(CompiledPolicy policy, RefTerm r)
    {
        if (r.DataPrefix is DataPrefix known && ReferenceEquals(known.Policy, policy))
        {
            return known;
        }

        var prefix = Walk(policy, r.Path);
        r.DataPrefix = prefix;
        return prefix;
    }

    /// <summary>Follows constant string keys through nodes without rules (mirroring <c>TryDataDirect</c>), stopping
    /// at a rule or function, a non-object base document, a computed key, or a key that is not there.</summary>
    public static DataPrefix Walk(CompiledPolicy policy, Term[] path)
    {
        RuleNode? node = policy.Root;
        Value? baseValue = policy.Data;
        var i = 0;
        while (i < path.Length)
        {
            if (node is not null && (node.Rules.Count > 0 || node.Default is not null || node.IsFunction))
            {
                break;
            }

            if ((node is null && baseValue is not ObjectValue) || path[i] is not ScalarTerm { Value: StringValue ks })
            {
                break;
            }

            var (child, baseChild) = Child(node, baseValue, ks);
            if (child is null && baseChild is null)
            {
                break;
            }

            node = child;
            baseValue = baseChild;
            i++;
        }

        return new DataPrefix(policy, node, baseValue, i);
    }

    /// <summary>One step down <c>data</c>: the rule-tree node and the base document under a key (either may be
    /// missing).</summary>
    public static (RuleNode? Node, Value? Base) Child(RuleNode? node, Value? baseValue, StringValue key)
    {
        RuleNode? child = null;
        node?.Children.TryGetValue(key.Value, out child);
        return (child, baseValue is ObjectValue bo ? bo.Get(key) : null);
    }

    /// <summary>A key as <c>data</c> holds it: data's keys are strings, and OPA finds <c>data[2]</c> under "2".</summary>
    public static Value? DataKey(Value? key) => key is NumberValue ? StringValue.Create(key.ToString()) : key;
}
