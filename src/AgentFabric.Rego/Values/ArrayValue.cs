using System.Collections;
using System.Text;

namespace AgentFabric.Rego.Values;

/// <summary>An immutable Rego array.</summary>
public sealed class ArrayValue : Value, IReadOnlyList<Value>
{
    /// <summary>The empty array.</summary>
    public static readonly ArrayValue Empty = new([]);

    private readonly Value[] _items;
    private int _hash;

    // Loops over this array filtered on its elements' fields (see Evaluation.ArrayFilterIndex): how often it was
    // scanned, and the indexes built once it is scanned again.
    internal int FilterScans;
    internal Evaluation.ArrayFilterIndex[]? FilterIndexes;

    private ArrayValue(Value[] items) => _items = items;

    /// <summary>An array of the given items (copied).</summary>
    public static ArrayValue Create(params ReadOnlySpan<Value> items) => items.IsEmpty ? Empty : new ArrayValue(items.ToArray());

    /// <summary>An array of the given items (a separate name from <see cref="Create(ReadOnlySpan{Value})"/> because an
    /// array is itself an <see cref="IEnumerable{T}"/> of values).</summary>
    public static ArrayValue CreateRange(IEnumerable<Value> items)
    {
        var array = items.ToArray();
        return array.Length == 0 ? Empty : new ArrayValue(array);
    }

    /// <summary>Takes ownership of an array the caller will never modify again (no copy).</summary>
    internal static ArrayValue Wrap(Value[] items) => items.Length == 0 ? Empty : new ArrayValue(items);

    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Array;

    /// <summary>The number of elements.</summary>
    public int Count => _items.Length;

    /// <summary>The element at an index.</summary>
    public Value this[int index] => _items[index];

    /// <summary>The elements.</summary>
    public ReadOnlySpan<Value> Items => _items;

    /// <summary>Iterates the elements without allocating.</summary>
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

        if (other is not ArrayValue a || a._items.Length != _items.Length || a.GetHashCode() != GetHashCode())
        {
            return false;
        }

        for (var i = 0; i < _items.Length; i++)
        {
            if (!_items[i].Equals(a._items[i]))
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
            hc.Add(0x41);
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
        builder.Append('[');
        for (var i = 0; i < _items.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            _items[i].WriteTerm(builder);
        }

        builder.Append(']');
    }
}
