namespace AgentFabric.Rego.Values;

/// <summary>An open-addressing hash index from a key to its position in a sorted key array. Objects and sets use it
/// for O(1) membership while their entries stay in sorted order, and it allows lookup by a plain
/// <see cref="string"/> without allocating a <see cref="StringValue"/>. A struct kept inline in its object or set:
/// small collections (no table) cost no allocation for it.</summary>
internal readonly struct ValueIndex
{
    // Below this size a linear scan over cached hashes beats hashing into a table.
    private const int LinearLimit = 8;

    // Each slot holds a key's hash (high half) and its position + 1 (low half; 0 = empty), so a probe compares
    // hashes in the table itself and reads a key only when they match: probing past other keys touches no key
    // object (a large data document's keys are spread over the heap).
    private readonly ulong[]? _slots;
    private readonly int _mask;

    public ValueIndex(ReadOnlySpan<Value> keys)
    {
        if (keys.Length <= LinearLimit)
        {
            _slots = null;
            _mask = 0;
            return;
        }

        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(keys.Length * 2));
        _slots = new ulong[size];
        _mask = size - 1;
        for (var i = 0; i < keys.Length; i++)
        {
            var hash = keys[i].GetHashCode();
            var slot = hash & _mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }

            _slots[slot] = Entry(hash, i);
        }
    }

    private static ulong Entry(int hash, int position) => ((ulong)(uint)hash << 32) | (uint)(position + 1);

    // String keys (nearly every lookup) go straight to the string search; the check inlines at every lookup.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public int Find(ReadOnlySpan<Value> keys, Value key) => key is StringValue s ? FindString(keys, s) : FindOther(keys, key);

    // An input's keys and a policy's constant keys are usually the same shared instances (StringValue.Key): in a
    // small collection, comparing references finds them without reading any key object.
    private int FindString(ReadOnlySpan<Value> keys, StringValue key)
    {
        if (_slots is null)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (ReferenceEquals(keys[i], key))
                {
                    return i;
                }
            }
        }

        return FindText(keys, key.Value, key.Hash);
    }

    private int FindOther(ReadOnlySpan<Value> keys, Value key)
    {
        var hash = key.GetHashCode();
        if (_slots is null)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                var k = keys[i];
                if (k.GetHashCode() == hash && k.Equals(key))
                {
                    return i;
                }
            }

            return -1;
        }

        var slot = hash & _mask;
        while (true)
        {
            var e = _slots[slot];
            if (e == 0)
            {
                return -1;
            }

            var p = (int)(uint)e - 1;
            if ((int)(e >> 32) == hash && keys[p].Equals(key))
            {
                return p;
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>The position of a string key given as text (no <see cref="StringValue"/> needed); -1 when absent.</summary>
    public int Find(ReadOnlySpan<Value> keys, string key) => FindText(keys, key, StringValue.HashOf(key));

    // Equal cached hashes, then equal text (the same instance, as shared keys are, ends at the reference check
    // inside string.Equals), with no virtual call per candidate.
    private int FindText(ReadOnlySpan<Value> keys, string text, int hash)
    {
        if (_slots is null)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (keys[i] is StringValue s && s.Hash == hash && string.Equals(s.Value, text))
                {
                    return i;
                }
            }

            return -1;
        }

        var slot = hash & _mask;
        while (true)
        {
            var e = _slots[slot];
            if (e == 0)
            {
                return -1;
            }

            var p = (int)(uint)e - 1;
            if ((int)(e >> 32) == hash && keys[p] is StringValue s && string.Equals(s.Value, text))
            {
                return p;
            }

            slot = (slot + 1) & _mask;
        }
    }
}
