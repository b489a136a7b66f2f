using AgentFabric.Server.Datastore;

namespace AgentFabric.Server.Registration;

public sealed partial class RegistrationService
{
    /// <summary>SPIRE's default for <c>prune_attested_nodes_batch_size</c>: at most this many nodes pruned per cycle.</summary>
    public const int DefaultNodePruneBatchSize = 1000;

    /// <summary>The agents whose node SVID expires before <paramref name="expiresBefore"/> (when given) and whose ban
    /// is <paramref name="banned"/> (when given), the earliest expiry first.</summary>
    public async Task<IReadOnlyList<AttestedNode>> ListAgentsAsync(DateTimeOffset? expiresBefore, bool? banned, CancellationToken cancellationToken = default)
    {
        var before = expiresBefore?.ToUnixTimeSeconds();
        return (await _store.ListAttestedNodesAsync(cancellationToken).ConfigureAwait(false))
            .Where(n => (before is null || n.CertNotAfter < before) && (banned is null || n.Banned == banned))
            .OrderBy(n => n.CertNotAfter)
            .ThenBy(n => n.SpiffeId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Up to <paramref name="limit"/> agents, not banned, whose node SVID expired before
    /// <paramref name="expiredBefore"/>: the ones <c>agent purge</c> and the prune timer remove.</summary>
    public Task<IReadOnlyList<AttestedNode>> ListExpiredAgentsAsync(DateTimeOffset expiredBefore, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            throw new RegistrationException(RegistrationError.InvalidArgument, $"registration: the limit of expired agents to list must be positive, got {limit}");
        }

        return _store.ListExpiredAttestedNodesAsync(expiredBefore.ToUnixTimeSeconds(), limit, cancellationToken);
    }

    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> agents whose node SVID expired more than <paramref name="expiredFor"/>
    /// ago (SPIRE's <c>prune_attested_nodes_expired_for</c>); banned agents stay, and an agent that renewed between
    /// the listing and its deletion is kept. Returns the SPIFFE IDs deleted. A pruned agent is evicted: its SVID no
    /// longer opens the Agent API, and it needs a new join token.
    /// </summary>
    public async Task<IReadOnlyList<string>> PruneExpiredAgentsAsync(TimeSpan expiredFor, int batchSize, CancellationToken cancellationToken = default)
    {
        if (expiredFor < TimeSpan.Zero)
        {
            throw new RegistrationException(RegistrationError.InvalidArgument, $"registration: the time since expiry must not be negative, got {expiredFor}");
        }

        var before = (_time.GetUtcNow() - expiredFor).ToUnixTimeSeconds();
        var pruned = new List<string>();
        foreach (var node in await ListExpiredAgentsAsync(DateTimeOffset.FromUnixTimeSeconds(before), batchSize, cancellationToken).ConfigureAwait(false))
        {
            if (await _store.DeleteExpiredAttestedNodeAsync(node.SpiffeId, before, cancellationToken).ConfigureAwait(false))
            {
                pruned.Add(node.SpiffeId);
            }
        }

        if (pruned.Count > 0)
        {
            NodesChanged.Notify();
        }

        return pruned;
    }
}
