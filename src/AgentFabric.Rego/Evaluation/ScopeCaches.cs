using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

/// <summary>What an evaluator remembers within one scope: node values (with the recursion guard), rules'
/// contributions and set memberships. A <c>with</c> modifier starts a fresh scope; an evaluator reused by the next
/// evaluation keeps the storage (see <see cref="Clear"/>).</summary>
internal sealed class ScopeCaches
{
    private NodeValueCache? _nodes;
    private Dictionary<Rule, List<RuleContribution>>? _rules;
    private MemberCache? _members;

    // Allocated on first use: most decisions touch few of them.
    public NodeValueCache Nodes => _nodes ??= new();

    public bool HasNode(int id) => _nodes is not null && _nodes.ContainsKey(id);

    public Dictionary<Rule, List<RuleContribution>> Rules => _rules ??= new(ReferenceEqualityComparer.Instance);

    // Recursion guard: a node being computed is marked in Nodes with this value (one dictionary instead of two).
    private static readonly Value Computing = StringValue.Create("\u0000computing");

    /// <summary>Marks a node as being computed; false when it already is (recursion).</summary>
    public bool Enter(int id)
    {
        if (Nodes.TryGetValue(id, out var v) && ReferenceEquals(v, Computing))
        {
            return false;
        }

        Nodes[id] = Computing;
        return true;
    }

    /// <summary>Like <see cref="Enter"/> for a node known not to be in the cache.</summary>
    public void MarkComputing(int id) => Nodes[id] = Computing;

    /// <summary>Ends <see cref="Enter"/>: drops the mark unless a value was stored meanwhile.</summary>
    public void Leave(int id)
    {
        if (Nodes.TryGetValue(id, out var v) && ReferenceEquals(v, Computing))
        {
            Nodes.Remove(id);
        }
    }

    public static bool IsComputing(Value? v) => ReferenceEquals(v, Computing);

    public MemberCache Members => _members ??= new();

    // Above this many entries a cache is dropped rather than kept for the next evaluation (it would hold memory).
    private const int MaxRetained = 64;

    /// <summary>Empties the caches for reuse; false when they grew too large to keep.</summary>
    public bool Clear()
    {
        if ((_rules?.Count ?? 0) > MaxRetained || (_members?.Count ?? 0) > MaxRetained || !(_nodes?.Clear(MaxRetained) ?? true))
        {
            return false;
        }

        _rules?.Clear();
        _members?.Clear();
        return true;
    }
}
