using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

/// <summary>Answers to "is this value a member of that partial set" in one evaluation scope (see
/// <c>Evaluator.IsSetMember</c>). A decision asks a handful, so the first few live in small arrays searched
/// linearly (node id first, then the member's cached hash); a dictionary takes over beyond that.</summary>
internal sealed class MemberCache
{
    private const int InlineCapacity = 8;

    private readonly int[] _nodes = new int[InlineCapacity];
    private readonly Value[] _members = new Value[InlineCapacity];
    private readonly bool[] _answers = new bool[InlineCapacity];
    private int _count;
    private Dictionary<(int Node, Value Member), bool>? _overflow;

    public int Count => _overflow?.Count ?? _count;

    public bool TryGetValue(int node, Value member, out bool isMember)
    {
        if (_overflow is not null)
        {
            return _overflow.TryGetValue((node, member), out isMember);
        }

        var hash = member.GetHashCode();
        for (var i = 0; i < _count; i++)
        {
            var m = _members[i];
            if (_nodes[i] == node && (ReferenceEquals(m, member) || (m.GetHashCode() == hash && m.Equals(member))))
            {
                isMember = _answers[i];
                return true;
            }
        }

        isMember = false;
        return false;
    }

    /// <summary>Records an answer for a (node, member) pair not yet in the cache.</summary>
    public void Add(int node, Value member, bool isMember)
    {
        if (_overflow is null && _count < InlineCapacity)
        {
            _nodes[_count] = node;

            // _members is an exact Value[] (never covariant): the store needs no array type check.
            System.Runtime.CompilerServices.Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_members), _count) = member;
            _answers[_count++] = isMember;
            return;
        }

        if (_overflow is null)
        {
            _overflow = new Dictionary<(int, Value), bool>(InlineCapacity * 2);
            for (var i = 0; i < _count; i++)
            {
                _overflow[(_nodes[i], _members[i])] = _answers[i];
            }
        }

        _overflow[(node, member)] = isMember;
    }

    /// <summary>Empties the cache for reuse, dropping the values it referenced.</summary>
    public void Clear()
    {
        _overflow = null;
        Array.Clear(_members, 0, _count);
        _count = 0;
    }
}
