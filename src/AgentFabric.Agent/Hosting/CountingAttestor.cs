using AgentFabric.Agent.Attestation;

namespace AgentFabric.Agent.Hosting;

/// <summary>The configured attestors as one (the union of their selectors, the first failure fails the caller),
/// counting workload attestations by result for <c>/metrics</c>.</summary>
internal sealed class CountingAttestor(IReadOnlyList<IWorkloadAttestor> inner) : IWorkloadAttestor
{
    public string Name => string.Join('+', inner.Select(a => a.Name));

    private long _success;
    private long _failure;

    public long Succeeded => Interlocked.Read(ref _success);

    public long Failed => Interlocked.Read(ref _failure);

    public async Task<IReadOnlyList<Selector>> AttestAsync(WorkloadProcess process, CancellationToken cancellationToken)
    {
        try
        {
            var selectors = new List<Selector>();
            foreach (var attestor in inner)
            {
                selectors.AddRange(await attestor.AttestAsync(process, cancellationToken).ConfigureAwait(false));
            }

            Interlocked.Increment(ref _success);
            return selectors;
        }
        catch
        {
            Interlocked.Increment(ref _failure);
            throw;
        }
    }
}
