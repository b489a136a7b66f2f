using System.Text;

namespace AgentFabric.Rego.Values;

/// <summary>An immutable Rego value (a JSON value, or a set, or an object with non-string keys).</summary>
/// <remarks>Equality is structural and numbers compare by value (<c>1 == 1.0</c>); ordering is OPA's total order
/// (see <see cref="ValueKind"/>). Hashes are cached by the composite kinds, so values are cheap dictionary keys.</remarks>
public abstract partial class Value : IEquatable<Value>, IComparable<Value>
{
    private protected Value()
    {
    }

    /// <summary>The kind of this value.</summary>
    public abstract ValueKind Kind { get; }

    /// <summary>The type name OPA uses in messages and in <c>type_name</c>: null, boolean, number, string, array, object, set.</summary>
    public string TypeName => TypeNameOf(Kind);

    /// <summary>Returns OPA's type name of a kind.</summary>
    public static string TypeNameOf(ValueKind kind) => kind switch
    {
        ValueKind.Null => "null",
        ValueKind.Boolean => "boolean",
        ValueKind.Number => "number",
        ValueKind.String => "string",
        ValueKind.Array => "array",
        ValueKind.Object => "object",
        ValueKind.Set => "set",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Structural equality.</summary>
    public abstract bool Equals(Value? other);

    /// <inheritdoc/>
    public sealed override bool Equals(object? obj) => obj is Value v && Equals(v);

    /// <inheritdoc/>
    public abstract override int GetHashCode();

    /// <summary>OPA's total order (ast.Compare).</summary>
    public int CompareTo(Value? other) => other is null ? 1 : ValueComparer.Compare(this, other);

    /// <summary>Appends the Rego term text of this value (as OPA prints terms).</summary>
    public abstract void WriteTerm(StringBuilder builder);

    /// <summary>The Rego term text of this value, as OPA prints terms: <c>{"a": 1, "b": {1, 2}}</c>, <c>set()</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        WriteTerm(sb);
        return sb.ToString();
    }

    public static bool operator ==(Value? left, Value? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Value? left, Value? right) => !(left == right);

    public static bool operator <(Value left, Value right) => ValueComparer.Compare(left, right) < 0;

    public static bool operator >(Value left, Value right) => ValueComparer.Compare(left, right) > 0;

    public static bool operator <=(Value left, Value right) => ValueComparer.Compare(left, right) <= 0;

    public static bool operator >=(Value left, Value right) => ValueComparer.Compare(left, right) >= 0;

    // Convenience conversions so tests and builtins read naturally.
    public static implicit operator Value(string value) => StringValue.Create(value);

    public static implicit operator Value(long value) => NumberValue.Create(value);

    public static implicit operator Value(bool value) => BooleanValue.Create(value);
}
