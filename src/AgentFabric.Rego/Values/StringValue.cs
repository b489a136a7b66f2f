using System.Text;
using AgentFabric.Rego.GoCompat;

namespace AgentFabric.Rego.Values;

/// <summary>A Rego string. Ordered by UTF-8 bytes, as Go compares strings.</summary>
public sealed partial class StringValue : Value
{
    /// <summary>The empty string.</summary>
    public static readonly StringValue Empty = new(string.Empty);

    private int _hash;

    private StringValue(string value) => Value = value;

    /// <summary>The string.</summary>
    public string Value { get; }

    /// <summary>Wraps a string.</summary>
    public static StringValue Create(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 0 ? Empty : new StringValue(value);
    }

    /// <summary>The hash a <see cref="StringValue"/> holding <paramref name="value"/> has, so lookups by a plain
    /// <see cref="string"/> need no wrapper allocation.</summary>
    public static int HashOf(string value)
    {
        var h = string.GetHashCode(value, StringComparison.Ordinal);
        return h == 0 ? 1 : h;
    }

    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.String;

    /// <inheritdoc/>
    public override bool Equals(Value? other) =>
        ReferenceEquals(this, other) || (other is StringValue s && string.Equals(Value, s.Value));

    /// <inheritdoc/>
    public override int GetHashCode() => Hash;

    /// <summary>The hash without a virtual call (object and set lookups by a string key).</summary>
    internal int Hash
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        get
        {
            var h = _hash;
            if (h == 0)
            {
                h = HashOf(Value);
                _hash = h;
            }

            return h;
        }
    }

    /// <inheritdoc/>
    public override void WriteTerm(StringBuilder builder) => GoQuote.Append(builder, Value);
}
