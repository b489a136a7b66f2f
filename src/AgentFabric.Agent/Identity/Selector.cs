using System.Diagnostics.CodeAnalysis;

namespace AgentFabric.Agent.Identity;

/// <summary>
/// A fact about a workload, as <c>type:value</c> (<c>unix:uid:1000</c> is type <c>unix</c>, value <c>uid:1000</c>),
/// the unit registration entries are matched on (SPIRE's selector model).
/// </summary>
public readonly record struct Selector(string Type, string Value)
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

    public override string ToString() => Type + ":" + Value;
}
