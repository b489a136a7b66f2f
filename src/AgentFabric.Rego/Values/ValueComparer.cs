namespace AgentFabric.Rego.Values;

/// <summary>OPA's total order over values (ast.Compare) and structural equality, usable as a comparer.</summary>
public sealed class ValueComparer : IComparer<Value>, IEqualityComparer<Value>
{
    /// <summary>The shared instance.</summary>
    public static readonly ValueComparer Instance = new();

    /// <summary><see cref="Compare(Value, Value)"/> as one shared delegate: sorting a span with it allocates nothing
    /// (sorting an array with an <see cref="IComparer{T}"/> wraps the comparer in a new delegate per call).</summary>
    internal static readonly Comparison<Value> Ordering = Compare;

    private ValueComparer()
    {
    }

    /// <summary>Compares by kind (null &lt; boolean &lt; number &lt; string &lt; array &lt; object &lt; set), then by value:
    /// numbers by value, strings by UTF-8 bytes, arrays element-wise then by length, objects by sorted key then value
    /// pairs then by size, sets element-wise in sorted order then by size.</summary>
    public static int Compare(Value a, Value b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }

        // Strings and objects (sorting sets of objects compares little else) without the virtual Kind calls.
        if (a is StringValue sa && b is StringValue sb)
        {
            return Utf8Order.Compare(sa.Value, sb.Value);
        }

        if (a is ObjectValue oa && b is ObjectValue ob)
        {
            return CompareObjects(oa, ob);
        }

        var ka = a.Kind;
        var kb = b.Kind;
        if (ka != kb)
        {
            return ka < kb ? -1 : 1;
        }

        switch (ka)
        {
            case ValueKind.Null:
                return 0;
            case ValueKind.Boolean:
                return ((BooleanValue)a).Value.CompareTo(((BooleanValue)b).Value);
            case ValueKind.Number:
                return NumberValue.Compare((NumberValue)a, (NumberValue)b);
            case ValueKind.String:
                return Utf8Order.Compare(((StringValue)a).Value, ((StringValue)b).Value);
            case ValueKind.Array:
                return CompareSequences(((ArrayValue)a).Items, ((ArrayValue)b).Items);
            case ValueKind.Set:
                return CompareSequences(((SetValue)a).Items, ((SetValue)b).Items);
            default:
                return CompareObjects((ObjectValue)a, (ObjectValue)b);
        }
    }

    private static int CompareSequences(ReadOnlySpan<Value> a, ReadOnlySpan<Value> b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var c = Compare(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    private static int CompareObjects(ObjectValue a, ObjectValue b)
    {
        var ak = a.Keys;
        var bk = b.Keys;
        var n = Math.Min(ak.Length, bk.Length);
        var av = a.Values;
        var bv = b.Values;
        for (var i = 0; i < n; i++)
        {
            var c = CompareEntryPart(ak[i], bk[i]);
            if (c != 0)
            {
                return c;
            }

            c = CompareEntryPart(av[i], bv[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return ak.Length.CompareTo(bk.Length);
    }

    // Keys (shared instances) and string values, what sorting a set of objects mostly compares, without the
    // general dispatch.
    private static int CompareEntryPart(Value x, Value y) =>
        ReferenceEquals(x, y) ? 0
        : x is StringValue sx && y is StringValue sy ? Utf8Order.Compare(sx.Value, sy.Value)
        : Compare(x, y);

    int IComparer<Value>.Compare(Value? x, Value? y) =>
        x is null ? (y is null ? 0 : -1) : y is null ? 1 : Compare(x, y);

    /// <inheritdoc/>
    public bool Equals(Value? x, Value? y) => x is null ? y is null : x.Equals(y);

    /// <inheritdoc/>
    public int GetHashCode(Value obj) => obj.GetHashCode();
}
