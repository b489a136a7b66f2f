using System.Diagnostics.CodeAnalysis;

namespace AgentFabric.Contracts;

/// <summary>
/// A fact about a workload or node, as <c>type:value</c> (<c>unix:uid:1000</c> is type <c>unix</c>, value
/// <c>uid:1000</c>), the unit registration entries are matched on (SPIRE's selector model). The value may hold further
/// colons (<c>docker:label:com.example:x</c> is type <c>docker</c>, value <c>label:com.example:x</c>). Ordered by
/// type, then value (ordinal), as the server keys entries by their sorted selectors.
/// </summary>
public readonly record struct Selector(string Type, string Value) : IComparable<Selector>
{
    /// <summary>Parses <c>type:value</c>; the value may itself contain colons.</summary>
    /// <exception cref="FormatException">No colon, or an empty type or value.</exception>
    public static Selector Parse(string text) =>
        TryParse(text, out var selector) ? selector : throw new FormatException($"selector \"{text}\" is not of the form type:value");

    public static bool TryParse([NotNullWhen(true)] string? text, out Selector selector)
    {
        selector = default;
        int colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (text is null || colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        selector = new Selector(text[..colon], text[(colon + 1)..]);
        return true;
    }

    public int CompareTo(Selector other)
    {
        int c = string.CompareOrdinal(Type, other.Type);
        return c != 0 ? c : string.CompareOrdinal(Value, other.Value);
    }

    public override string ToString() => Type + ":" + Value;
}
