using AgentFabric.Agent.Attestation;
using AgentFabric.Agent.Identity;

namespace AgentFabric.Cli.Agent;

/// <summary>Counts workload attestations by result for <c>/metrics</c>, around the real attestor.</summary>
internal sealed class CountingAttestor(IWorkloadAttestor inner) : IWorkloadAttestor
{
    public string Name => inner.Name;

    private long _success;
    private long _failure;

    public long Succeeded => Interlocked.Read(ref _success);

    public long Failed => Interlocked.Read(ref _failure);

    public async Task<IReadOnlyList<Selector>> AttestAsync(WorkloadProcess process, CancellationToken cancellationToken)
    {
        try
        {
            var selectors = await inner.AttestAsync(process, cancellationToken).ConfigureAwait(false);
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
