using System.Collections;
using System.Text;

namespace AgentFabric.Rego.Values;

/// <summary>An immutable Rego object. Keys may be any value; entries are kept sorted by key (OPA iterates, prints
/// and serializes objects in key order), with a hash index for O(1) lookup.</summary>
public sealed partial class ObjectValue : Value, IEnumerable<KeyValuePair<Value, Value>>
{
    /// <summary>The empty object.</summary>
    public static readonly ObjectValue Empty = new([], []);

    private readonly Value[] _keys;
    private readonly Value[] _values;
    private readonly ValueIndex _index;
    private int _hash;

    // keys must be sorted and unique; both arrays are owned by this instance.
    private ObjectValue(Value[] keys, Value[] values)
    {
        _keys = keys;
        _values = values;
        _index = new ValueIndex(keys);
    }

    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Object;

    /// <summary>The number of entries.</summary>
    public int Count => _keys.Length;

    /// <summary>The keys in sorted order.</summary>
    public ReadOnlySpan<Value> Keys => _keys;

    /// <summary>The values, in the order of <see cref="Keys"/>.</summary>
    public ReadOnlySpan<Value> Values => _values;

    /// <summary>Creates an object from entries; a later duplicate key replaces an earlier one.</summary>
    public static ObjectValue Create(IEnumerable<KeyValuePair<Value, Value>> entries)
    {
        var b = new Builder();
        foreach (var (k, v) in entries)
        {
            b.Set(k, v);
        }

        return b.ToValue();
    }

    /// <summary>Creates an object from string-keyed entries; a later duplicate key replaces an earlier one.</summary>
    public static ObjectValue Create(params ReadOnlySpan<(string Key, Value Value)> entries)
    {
        if (entries.Length == 0)
        {
            return Empty;
        }

        if (entries.Length > SmallObjectLimit)
        {
            var b = new Builder(entries.Length);
            foreach (var (k, v) in entries)
            {
                b.Set(k, v);
            }

            return b.ToValue();
        }

        // Small objects (an input document and its parts are built per request): sorted by insertion into the final
        // arrays, duplicates found by a scan, without the builder's lists and dictionary.
        var keys = new Value[entries.Length];
        var values = new Value[entries.Length];
        var count = 0;
        foreach (var (k, v) in entries)
        {
            var key = StringValue.Key(k);
            var at = Find(keys.AsSpan(0, count), key);
            if (at >= 0)
            {
                values[at] = v;
                continue;
            }

            var i = count++;
            for (; i > 0 && ValueComparer.Compare(keys[i - 1], key) > 0; i--)
            {
                keys[i] = keys[i - 1];
                values[i] = values[i - 1];
            }

            keys[i] = key;
            values[i] = v;
        }

        if (count < keys.Length)
        {
            Array.Resize(ref keys, count);
            Array.Resize(ref values, count);
        }

        return new ObjectValue(keys, values);

        static int Find(ReadOnlySpan<Value> keys, StringValue key)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (ReferenceEquals(keys[i], key) || ((StringValue)keys[i]).Value == key.Value)
                {
                    return i;
                }
            }

            return -1;
        }
    }

    // Up to this many entries Create sorts by insertion; above, through the builder's hash index.
    private const int SmallObjectLimit = 16;

    /// <summary>Looks a key up.</summary>
    public bool TryGetValue(Value key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Value? value)
    {
        var i = _index.Find(_keys, key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    /// <summary>Looks a string key up without allocating.</summary>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Value? value)
    {
        var i = _index.Find(_keys, key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    /// <summary>The value of a key, or null when absent.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public Value? Get(Value key)
    {
        var i = _index.Find(_keys, key);
        return i >= 0 ? _values[i] : null;
    }

    /// <summary>The value of a string key, or null when absent.</summary>
    public Value? Get(string key) => TryGetValue(key, out var v) ? v : null;

    /// <summary>Whether the key is present.</summary>
    public bool ContainsKey(Value key) => _index.Find(_keys, key) >= 0;

    /// <summary>A copy with one entry added or replaced.</summary>
    public ObjectValue With(Value key, Value value)
    {
        var b = new Builder(this);
        b.Set(key, value);
        return b.ToValue();
    }

    /// <summary>A copy without a key (this instance when the key is absent).</summary>
    public ObjectValue Without(Value key)
    {
        var i = _index.Find(_keys, key);
        if (i < 0)
        {
            return this;
        }

        var keys = new Value[_keys.Length - 1];
        var values = new Value[_keys.Length - 1];
        Array.Copy(_keys, 0, keys, 0, i);
        Array.Copy(_keys, i + 1, keys, i, keys.Length - i);
        Array.Copy(_values, 0, values, 0, i);
        Array.Copy(_values, i + 1, values, i, values.Length - i);
        return keys.Length == 0 ? Empty : new ObjectValue(keys, values);
    }

    /// <summary>Iterates entries in key order without allocating.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<Value, Value>> IEnumerable<KeyValuePair<Value, Value>>.GetEnumerator()
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            yield return new KeyValuePair<Value, Value>(_keys[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<Value, Value>>)this).GetEnumerator();

    /// <inheritdoc/>
    public override bool Equals(Value? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not ObjectValue o || o._keys.Length != _keys.Length || o.GetHashCode() != GetHashCode())
        {
            return false;
        }

        // Both are sorted by key, so equal objects have equal entries position by position.
        for (var i = 0; i < _keys.Length; i++)
        {
            if (!_keys[i].Equals(o._keys[i]) || !_values[i].Equals(o._values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = _hash;
        if (h == 0)
        {
            var hc = new HashCode();
            hc.Add(0x4f);
            for (var i = 0; i < _keys.Length; i++)
            {
                hc.Add(_keys[i].GetHashCode());
                hc.Add(_values[i].GetHashCode());
            }

            h = hc.ToHashCode();
            h = h == 0 ? 1 : h;
            _hash = h;
        }

        return h;
    }

    /// <inheritdoc/>
    public override void WriteTerm(StringBuilder builder)
    {
        builder.Append('{');
        for (var i = 0; i < _keys.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            _keys[i].WriteTerm(builder);
            builder.Append(": ");
            _values[i].WriteTerm(builder);
        }

        builder.Append('}');
    }

    /// <summary>An allocation-free enumerator over entries in key order.</summary>
    public struct Enumerator
    {
        private readonly ObjectValue _object;
        private int _i;

        internal Enumerator(ObjectValue obj)
        {
            _object = obj;
            _i = -1;
        }

        /// <summary>The current entry.</summary>
        public readonly KeyValuePair<Value, Value> Current => new(_object._keys[_i], _object._values[_i]);

        /// <summary>Advances.</summary>
        public bool MoveNext() => ++_i < _object._keys.Length;
    }
}
