namespace AgentFabric.Server.Datastore;

/// <summary>
/// A registration entry: which SPIFFE ID a workload (or node) with these selectors gets, under which parent.
/// TTLs are seconds (0 = the server default); <see cref="ExpiresAt"/> is Unix seconds (0 = never);
/// <see cref="Revision"/> is the datastore-wide revision of the entry's last change.
/// </summary>
public sealed record RegistrationEntry
{
    public string EntryId { get; init; } = string.Empty;
    public required string SpiffeId { get; init; }
    public required string ParentId { get; init; }
    public IReadOnlyList<Selector> Selectors { get; init; } = [];
    public int X509SvidTtl { get; init; }
    public int JwtSvidTtl { get; init; }
    public IReadOnlyList<string> FederatesWith { get; init; } = [];
    public IReadOnlyList<string> DnsNames { get; init; } = [];
    public bool Admin { get; init; }
    public bool Downstream { get; init; }
    public string Hint { get; init; } = string.Empty;
    public long ExpiresAt { get; init; }
    public long Revision { get; init; }
    public long CreatedAt { get; init; }

    /// <summary>The selectors sorted and joined: with SPIFFE ID and parent ID it identifies an entry (duplicates
    /// are refused, as SPIRE does).</summary>
    public string SelectorKey => string.Join('\n', Selectors.Order().Select(s => s.ToString()));
}
