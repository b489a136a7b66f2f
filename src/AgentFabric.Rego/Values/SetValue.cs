using System.Collections;
using System.Text;

namespace AgentFabric.Rego.Values;

/// <summary>An immutable Rego set, kept in sorted order (OPA iterates, prints and serializes sets sorted) with a hash
/// index for O(1) membership.</summary>
public sealed partial class SetValue : Value, IReadOnlyCollection<Value>
{
    /// <summary>The empty set.</summary>
    public static readonly SetValue Empty = new([]);

    private readonly Value[] _items;
    private readonly ValueIndex _index;
    private int _hash;

    // items must be sorted and unique; owned by this instance.
    private SetValue(Value[] items)
    {
        _items = items;
        _index = new ValueIndex(items);
    }

    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Set;

    /// <summary>The number of elements.</summary>
    public int Count => _items.Length;

    /// <summary>The elements in sorted order.</summary>
    public ReadOnlySpan<Value> Items => _items;

    /// <summary>A set of the given items (duplicates collapse).</summary>
    public static SetValue Create(params ReadOnlySpan<Value> items)
    {
        var b = new Builder(items.Length);
        foreach (var item in items)
        {
            b.Add(item);
        }

        return b.ToValue();
    }

    /// <summary>A set of the given items (duplicates collapse); a separate name because a set or array is itself an
    /// <see cref="IEnumerable{T}"/> of values.</summary>
    public static SetValue CreateRange(IEnumerable<Value> items)
    {
        var b = new Builder();
        foreach (var item in items)
        {
            b.Add(item);
        }

        return b.ToValue();
    }

    /// <summary>Whether the set holds the value.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool Contains(Value item) => _index.Find(_items, item) >= 0;

    /// <summary>Whether the set holds the string, without allocating.</summary>
    public bool Contains(string item) => _index.Find(_items, item) >= 0;

    /// <summary>Elements in either set.</summary>
    public SetValue Union(SetValue other)
    {
        if (other.Count == 0)
        {
            return this;
        }

        if (Count == 0)
        {
            return other;
        }

        var b = new Builder(this);
        foreach (var item in other._items)
        {
            b.Add(item);
        }

        return b.ToValue();
    }

    /// <summary>Elements in both sets.</summary>
    public SetValue Intersect(SetValue other)
    {
        var (small, large) = Count <= other.Count ? (this, other) : (other, this);
        var result = new List<Value>(small.Count);
        foreach (var item in small._items)
        {
            if (large.Contains(item))
            {
                result.Add(item);
            }
        }

        return result.Count == 0 ? Empty : result.Count == small.Count ? small : new SetValue(result.ToArray());
    }

    /// <summary>Elements of this set not in the other.</summary>
    public SetValue Except(SetValue other)
    {
        if (other.Count == 0)
        {
            return this;
        }

        var result = new List<Value>(Count);
        foreach (var item in _items)
        {
            if (!other.Contains(item))
            {
                result.Add(item);
            }
        }

        return result.Count == Count ? this : result.Count == 0 ? Empty : new SetValue(result.ToArray());
    }

    /// <summary>Iterates the elements in sorted order without allocating.</summary>
    public ReadOnlySpan<Value>.Enumerator GetEnumerator() => new ReadOnlySpan<Value>(_items).GetEnumerator();

    IEnumerator<Value> IEnumerable<Value>.GetEnumerator() => ((IEnumerable<Value>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc/>
    public override bool Equals(Value? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not SetValue s || s._items.Length != _items.Length || s.GetHashCode() != GetHashCode())
        {
            return false;
        }

        for (var i = 0; i < _items.Length; i++)
        {
            if (!_items[i].Equals(s._items[i]))
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
            hc.Add(0x53);
            foreach (var item in _items)
            {
                hc.Add(item.GetHashCode());
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
        if (_items.Length == 0)
        {
            builder.Append("set()");
            return;
        }

        builder.Append('{');
        for (var i = 0; i < _items.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            _items[i].WriteTerm(builder);
        }

        builder.Append('}');
    }
}
