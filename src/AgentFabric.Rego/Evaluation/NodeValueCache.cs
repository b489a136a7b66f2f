using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Evaluation;

/// <summary>The rule-tree values computed in one evaluation scope, by node id. A decision typically computes a
/// handful, so the first few live in two small arrays searched linearly; a dictionary takes over beyond that.</summary>
internal sealed class NodeValueCache
{
    private const int InlineCapacity = 8;

    private readonly int[] _ids = new int[InlineCapacity];
    private readonly Value?[] _values = new Value?[InlineCapacity];
    private int _count;
    private Dictionary<int, Value?>? _overflow;

    public Value? this[int id]
    {
        set
        {
            if (_overflow is not null)
            {
                _overflow[id] = value;
                return;
            }

            var i = IndexOf(id);
            if (i >= 0)
            {
                Store(i, value);
            }
            else if (_count < InlineCapacity)
            {
                _ids[_count] = id;
                Store(_count++, value);
            }
            else
            {
                _overflow = new Dictionary<int, Value?>(InlineCapacity * 2);
                for (var j = 0; j < _count; j++)
                {
                    _overflow[_ids[j]] = _values[j];
                }

                _overflow[id] = value;
            }
        }
    }

    public bool TryGetValue(int id, out Value? value)
    {
        if (_overflow is not null)
        {
            return _overflow.TryGetValue(id, out value);
        }

        var i = IndexOf(id);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    /// <summary>Empties the cache for reuse; false (nothing done) when it holds more than
    /// <paramref name="maxRetained"/> values.</summary>
    public bool Clear(int maxRetained)
    {
        if (_overflow is not null)
        {
            if (_overflow.Count > maxRetained)
            {
                return false;
            }

            _overflow = null;
        }

        Array.Clear(_values, 0, _count);
        _count = 0;
        return true;
    }

    public bool ContainsKey(int id) => _overflow?.ContainsKey(id) ?? IndexOf(id) >= 0;

    public void Remove(int id)
    {
        if (_overflow is not null)
        {
            _overflow.Remove(id);
            return;
        }

        var i = IndexOf(id);
        if (i >= 0)
        {
            _count--;
            _ids[i] = _ids[_count];
            _values[i] = _values[_count];
            _values[_count] = null;
        }
    }

    // _values is an exact Value?[] (never covariant) and i is in range: the store needs no array type check, which
    // would otherwise cost as much as the rest of a cache update.
    private void Store(int i, Value? value)
    {
        System.Diagnostics.Debug.Assert((uint)i < (uint)_values.Length, "index in range");
        System.Runtime.CompilerServices.Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_values), i) = value;
    }

    private int IndexOf(int id)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_ids[i] == id)
            {
                return i;
            }
        }

        return -1;
    }
}
