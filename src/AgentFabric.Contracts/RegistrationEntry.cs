using System.Diagnostics.CodeAnalysis;
using AgentFabric.Spiffe;

namespace AgentFabric.Contracts;

/// <summary>
/// A registration entry: a workload (or node) whose attested selectors include all of <see cref="Selectors"/> is
/// entitled to <see cref="SpiffeId"/>, under <see cref="ParentId"/>. The server stores it; the agent receives the
/// ones it may serve. IDs are parsed once where they cross a boundary (the Admin API, a datastore row, the agent's
/// sync), never per use. TTLs are seconds as on the wire (0 = the server default); <see cref="ExpiresAt"/> is Unix
/// seconds (0 = never); <see cref="Revision"/> is the datastore-wide revision of the entry's last change.
/// </summary>
public sealed record RegistrationEntry
{
    public RegistrationEntry()
    {
    }

    /// <summary>An entry with an ID, a SPIFFE ID and at least one selector (the agent's and tests' shorthand).</summary>
    /// <exception cref="ArgumentException">An empty entry ID, a zero SPIFFE ID or no selectors.</exception>
    [SetsRequiredMembers]
    public RegistrationEntry(string entryId, SpiffeId spiffeId, IReadOnlyList<Selector> selectors)
    {
        ArgumentException.ThrowIfNullOrEmpty(entryId);
        ArgumentNullException.ThrowIfNull(selectors);
        if (spiffeId.IsZero)
        {
            throw new ArgumentException("contracts: a registration entry needs a SPIFFE ID", nameof(spiffeId));
        }

        if (selectors.Count == 0)
        {
            throw new ArgumentException("contracts: a registration entry needs at least one selector", nameof(selectors));
        }

        EntryId = entryId;
        SpiffeId = spiffeId;
        Selectors = selectors;
    }

    public string EntryId { get; init; } = string.Empty;

    public required SpiffeId SpiffeId { get; init; }

    /// <summary>The node or entry SPIFFE ID this entry hangs under (zero where the sender did not say).</summary>
    public SpiffeId ParentId { get; init; }

    public IReadOnlyList<Selector> Selectors { get; init; } = [];

    /// <summary>Lifetime of X.509-SVIDs in seconds; 0 = the server's default.</summary>
    public int X509SvidTtl { get; init; }

    /// <summary>Lifetime of JWT-SVIDs in seconds; 0 = the server's default.</summary>
    public int JwtSvidTtl { get; init; }

    public IReadOnlyList<string> FederatesWith { get; init; } = [];

    public IReadOnlyList<string> DnsNames { get; init; } = [];

    public bool Admin { get; init; }

    public bool Downstream { get; init; }

    /// <summary>Operator hint sent with the SVID (Workload API §8); empty = none.</summary>
    public string Hint { get; init; } = string.Empty;

    public long ExpiresAt { get; init; }

    public long Revision { get; init; }

    public long CreatedAt { get; init; }

    /// <summary>The selectors sorted and joined: with SPIFFE ID and parent ID it identifies an entry (duplicates
    /// are refused, as SPIRE does).</summary>
    public string SelectorKey => string.Join('\n', Selectors.Order().Select(s => s.ToString()));

    /// <summary>True when every selector of the entry is among <paramref name="workloadSelectors"/>.</summary>
    public bool Matches(IReadOnlySet<Selector> workloadSelectors) => Selectors.All(workloadSelectors.Contains);
}
