namespace AgentFabric.Server.Datastore;

/// <summary>What <see cref="IDataStore.ListEntriesAsync"/> returns: every condition given must hold. Selectors
/// match entries that carry all of them (SPIRE's default "superset" match).</summary>
public sealed record EntryFilter
{
    public static readonly EntryFilter All = new();

    public string? SpiffeId { get; init; }
    public string? ParentId { get; init; }
    public IReadOnlyList<Selector> Selectors { get; init; } = [];
    public string? FederatesWith { get; init; }
    public bool? Downstream { get; init; }
}
