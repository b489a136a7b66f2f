using System.Text;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins;

/// <summary>A Rego type, as in OPA's <c>types</c> package and the <c>decl</c> of capabilities.json. Builtins declare
/// their signatures with these so the compiler can type-check calls.</summary>
/// <remarks>Build with the static members: <c>RegoType.String</c>, <c>RegoType.ArrayOf(RegoType.Any)</c>,
/// <c>RegoType.SetOf(RegoType.String)</c>, <c>RegoType.ObjectOf(RegoType.String, RegoType.Any)</c>,
/// <c>RegoType.AnyOf(RegoType.String, RegoType.Number)</c>, static arrays <c>RegoType.Tuple(a, b)</c> and static
/// objects <c>RegoType.ObjectWith([("k", t)])</c>. <see cref="ToString"/> prints OPA's form (<c>array[any]</c>,
/// <c>object[string: any]</c>, <c>any&lt;number, string&gt;</c>).</remarks>
public sealed class RegoType
{
    private RegoType(RegoTypeKind kind)
    {
        Kind = kind;
    }

    /// <summary>Any value.</summary>
    public static RegoType Any { get; } = new(RegoTypeKind.Any);

    /// <summary>null.</summary>
    public static RegoType Null { get; } = new(RegoTypeKind.Null);

    /// <summary>A boolean.</summary>
    public static RegoType Boolean { get; } = new(RegoTypeKind.Boolean);

    /// <summary>A number.</summary>
    public static RegoType Number { get; } = new(RegoTypeKind.Number);

    /// <summary>A string.</summary>
    public static RegoType String { get; } = new(RegoTypeKind.String);

    /// <summary>The kind of type.</summary>
    public RegoTypeKind Kind { get; }

    /// <summary>Positional element types of a static array, or static (string key, type) pairs of an object.</summary>
    public IReadOnlyList<RegoType> StaticItems { get; private init; } = [];

    /// <summary>Static keys of an object type, in the order of <see cref="StaticItems"/>.</summary>
    public IReadOnlyList<string> StaticKeys { get; private init; } = [];

    /// <summary>Element type of a dynamic array or set; the value type of a dynamic object.</summary>
    public RegoType? Dynamic { get; private init; }

    /// <summary>Key type of a dynamic object.</summary>
    public RegoType? DynamicKey { get; private init; }

    /// <summary>Members of a union (<see cref="RegoTypeKind.Any"/> with members).</summary>
    public IReadOnlyList<RegoType> Of { get; private init; } = [];

    /// <summary>An array whose elements all have one type: <c>array[T]</c>.</summary>
    public static RegoType ArrayOf(RegoType element) => new(RegoTypeKind.Array) { Dynamic = element };

    /// <summary>An array with positional types: <c>array&lt;A, B&gt;</c>.</summary>
    public static RegoType Tuple(params RegoType[] items) => new(RegoTypeKind.Array) { StaticItems = items };

    /// <summary>A set: <c>set[T]</c>.</summary>
    public static RegoType SetOf(RegoType element) => new(RegoTypeKind.Set) { Dynamic = element };

    /// <summary>An object with dynamic keys: <c>object[K: V]</c>.</summary>
    public static RegoType ObjectOf(RegoType key, RegoType value) =>
        new(RegoTypeKind.Object) { DynamicKey = key, Dynamic = value };

    /// <summary>An object with static keys, optionally also dynamic ones: <c>object&lt;a: T&gt;[K: V]</c>.</summary>
    public static RegoType ObjectWith(IReadOnlyList<(string Key, RegoType Type)> entries, RegoType? dynamicKey = null, RegoType? dynamicValue = null) =>
        new(RegoTypeKind.Object)
        {
            StaticKeys = entries.Select(e => e.Key).ToArray(),
            StaticItems = entries.Select(e => e.Type).ToArray(),
            DynamicKey = dynamicKey,
            Dynamic = dynamicValue,
        };

    /// <summary>A union: <c>any&lt;A, B&gt;</c>.</summary>
    public static RegoType AnyOf(params RegoType[] members) => new(RegoTypeKind.Any) { Of = members };

    /// <summary>Whether a value of this type could be the given value's kind (used for quick checks).</summary>
    public bool Accepts(ValueKind kind) => Kind switch
    {
        RegoTypeKind.Any => Of.Count == 0 || Of.Any(t => t.Accepts(kind)),
        RegoTypeKind.Null => kind == ValueKind.Null,
        RegoTypeKind.Boolean => kind == ValueKind.Boolean,
        RegoTypeKind.Number => kind == ValueKind.Number,
        RegoTypeKind.String => kind == ValueKind.String,
        RegoTypeKind.Array => kind == ValueKind.Array,
        RegoTypeKind.Set => kind == ValueKind.Set,
        RegoTypeKind.Object => kind == ValueKind.Object,
        _ => false,
    };

    /// <summary>OPA's text for the type.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    internal void Write(StringBuilder sb)
    {
        switch (Kind)
        {
            case RegoTypeKind.Any:
                sb.Append("any");
                if (Of.Count > 0)
                {
                    sb.Append('<');
                    var names = Of.Select(t => t.ToString()).Order(StringComparer.Ordinal).ToArray();
                    sb.AppendJoin(", ", names);
                    sb.Append('>');
                }

                break;
            case RegoTypeKind.Null:
                sb.Append("null");
                break;
            case RegoTypeKind.Boolean:
                sb.Append("boolean");
                break;
            case RegoTypeKind.Number:
                sb.Append("number");
                break;
            case RegoTypeKind.String:
                sb.Append("string");
                break;
            case RegoTypeKind.Array:
                sb.Append("array");
                if (StaticItems.Count > 0)
                {
                    sb.Append('<').AppendJoin(", ", StaticItems.Select(t => t.ToString())).Append('>');
                }

                if (Dynamic is not null)
                {
                    sb.Append('[');
                    Dynamic.Write(sb);
                    sb.Append(']');
                }

                break;
            case RegoTypeKind.Set:
                sb.Append("set[");
                (Dynamic ?? Any).Write(sb);
                sb.Append(']');
                break;
            case RegoTypeKind.Object:
                sb.Append("object");
                if (StaticKeys.Count > 0)
                {
                    sb.Append('<');
                    for (var i = 0; i < StaticKeys.Count; i++)
                    {
                        if (i > 0)
                        {
                            sb.Append(", ");
                        }

                        sb.Append(StaticKeys[i]).Append(": ");
                        StaticItems[i].Write(sb);
                    }

                    sb.Append('>');
                }

                if (Dynamic is not null)
                {
                    sb.Append('[');
                    (DynamicKey ?? Any).Write(sb);
                    sb.Append(": ");
                    Dynamic.Write(sb);
                    sb.Append(']');
                }

                break;
        }
    }
}

/// <summary>The kind of a <see cref="RegoType"/>.</summary>
public enum RegoTypeKind
{
    Any,
    Null,
    Boolean,
    Number,
    String,
    Array,
    Set,
    Object,
}
