using System.Text;

namespace AgentFabric.Rego.Values;

/// <summary>The Rego/JSON <c>null</c>.</summary>
public sealed class NullValue : Value
{
    /// <summary>The only instance.</summary>
    public static readonly NullValue Instance = new();

    private NullValue()
    {
    }

    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Null;

    /// <inheritdoc/>
    public override bool Equals(Value? other) => other is NullValue;

    /// <inheritdoc/>
    public override int GetHashCode() => 0x5bd1e995;

    /// <inheritdoc/>
    public override void WriteTerm(StringBuilder builder) => builder.Append("null");
}
