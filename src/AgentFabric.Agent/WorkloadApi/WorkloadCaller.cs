using AgentFabric.Agent.Attestation;
using AgentFabric.Agent.Identity;

namespace AgentFabric.Agent.WorkloadApi;

/// <summary>An attested caller: the process the kernel named and the selectors the attestors found.</summary>
internal sealed record WorkloadCaller(WorkloadProcess Process, IReadOnlySet<Selector> Selectors)
{
    /// <summary>The selectors in a stable order, for error messages.</summary>
    public string DescribeSelectors() =>
        string.Join(", ", Selectors.Select(s => s.ToString()).Order(StringComparer.Ordinal));

    public IReadOnlyList<RegistrationEntry> Match(IdentitySnapshot snapshot) =>
        [.. snapshot.Entries.Where(e => e.Matches(Selectors))];
}
