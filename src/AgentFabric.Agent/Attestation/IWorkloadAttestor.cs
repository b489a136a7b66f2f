using AgentFabric.Agent.Identity;

namespace AgentFabric.Agent.Attestation;

/// <summary>
/// Turns a calling process into selectors from what the platform (kernel, container engine, kubelet) says about it.
/// An attestor that does not apply to the process (not in a container, not in a pod) returns no selectors.
/// </summary>
public interface IWorkloadAttestor
{
    /// <summary>The selector type this attestor produces (<c>unix</c>, <c>docker</c>, <c>k8s</c>).</summary>
    string Name { get; }

    /// <exception cref="WorkloadAttestationException">The facts could not be read; the message says which.</exception>
    Task<IReadOnlyList<Selector>> AttestAsync(WorkloadProcess process, CancellationToken cancellationToken);
}
