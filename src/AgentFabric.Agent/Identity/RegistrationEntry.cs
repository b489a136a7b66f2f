namespace AgentFabric.Agent.Identity;

/// <summary>
/// A registration entry as the agent receives it from the identity server: a workload whose attested selectors
/// include all of <see cref="Selectors"/> is entitled to <see cref="SpiffeId"/>.
/// </summary>
public sealed record RegistrationEntry
{
    public RegistrationEntry(string entryId, SpiffeId spiffeId, IReadOnlyList<Selector> selectors)
    {
        ArgumentException.ThrowIfNullOrEmpty(entryId);
        ArgumentNullException.ThrowIfNull(selectors);
        if (spiffeId.IsZero)
        {
            throw new ArgumentException("agent: a registration entry needs a SPIFFE ID", nameof(spiffeId));
        }

        if (selectors.Count == 0)
        {
            throw new ArgumentException("agent: a registration entry needs at least one selector", nameof(selectors));
        }

        EntryId = entryId;
        SpiffeId = spiffeId;
        Selectors = selectors;
    }

    public string EntryId { get; }

    public SpiffeId SpiffeId { get; }

    public IReadOnlyList<Selector> Selectors { get; }

    /// <summary>Lifetime requested for X.509-SVIDs (SPIRE's default: 1 h).</summary>
    public TimeSpan X509SvidTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Lifetime requested for JWT-SVIDs (SPIRE's default: 5 min).</summary>
    public TimeSpan JwtSvidTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Operator hint sent with the SVID (Workload API §8), or null.</summary>
    public string? Hint { get; init; }

    /// <summary>True when every selector of the entry is among <paramref name="workloadSelectors"/>.</summary>
    public bool Matches(IReadOnlySet<Selector> workloadSelectors) => Selectors.All(workloadSelectors.Contains);
}
