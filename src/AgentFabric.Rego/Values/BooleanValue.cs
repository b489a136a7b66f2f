using System.Text;

namespace AgentFabric.Rego.Values;

/// <summary>A Rego boolean. Only two instances exist, so reference comparison is enough.</summary>
public sealed class BooleanValue : Value
{
    /// <summary><c>true</c>.</summary>
    public static readonly BooleanValue True = new(true);

    /// <summary><c>false</c>.</summary>
    public static readonly BooleanValue False = new(false);

    private BooleanValue(bool value) => Value = value;

    /// <summary>The boolean.</summary>
    public bool Value { get; }

    /// <summary>Returns the shared instance for a boolean.</summary>
    public static BooleanValue Create(bool value) => value ? True : False;

    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Boolean;

    /// <inheritdoc/>
    public override bool Equals(Value? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value ? 0x2f1a7c3 : 0x1b873593;

    /// <inheritdoc/>
    public override void WriteTerm(StringBuilder builder) => builder.Append(Value ? "true" : "false");
}
