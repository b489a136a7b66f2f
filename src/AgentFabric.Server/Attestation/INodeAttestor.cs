using AgentFabric.Server.Datastore;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Attestation;

/// <summary>
/// Proves a node's identity from the evidence its agent sends (SPIRE's NodeAttestor plugin, server side). Join
/// tokens first; k8s PSAT or x509pop plug in here with their own <see cref="Type"/>.
/// </summary>
public interface INodeAttestor
{
    /// <summary>The attestation type the agent names ("join_token").</summary>
    string Type { get; }

    /// <exception cref="AttestationException">The evidence does not prove an identity.</exception>
    Task<NodeAttestationResult> AttestAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}

/// <summary>Who the node is, the selectors describing it, and whether it may attest again with fresh evidence.</summary>
public sealed record NodeAttestationResult(SpiffeId AgentId, IReadOnlyList<Selector> Selectors, bool CanReattest);
