namespace AgentFabric.Server.Datastore;

/// <summary>A <c>type:value</c> pair describing a workload or node property (SPIRE's selector). The value may hold
/// further colons (<c>docker:label:com.example:x</c> is type <c>docker</c>, value <c>label:com.example:x</c>).</summary>
public readonly record struct Selector(string Type, string Value) : IComparable<Selector>
{
    public static bool TryParse(string? text, out Selector selector)
    {
        selector = default;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0 || colon == text!.Length - 1)
        {
            return false;
        }

        selector = new Selector(text[..colon], text[(colon + 1)..]);
        return true;
    }

    public int CompareTo(Selector other)
    {
        var c = string.CompareOrdinal(Type, other.Type);
        return c != 0 ? c : string.CompareOrdinal(Value, other.Value);
    }

    public override string ToString() => $"{Type}:{Value}";
}
