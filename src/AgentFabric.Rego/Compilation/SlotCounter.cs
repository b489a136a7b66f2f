namespace AgentFabric.Rego.Compilation;

/// <summary>Hands out frame slots and remembers their names and owning scopes.</summary>
internal sealed class SlotCounter
{
    public List<string> Names { get; } = [];

    public List<Scope> Owners { get; } = [];

    public int Count => Names.Count;

    public int Next(string name, Scope owner)
    {
        Names.Add(name);
        Owners.Add(owner);
        return Names.Count - 1;
    }
}
