namespace AgentFabric.Server.Datastore;

public sealed partial class SqlDataStore
{
    // Banned nodes are never pruned: their record is the ban (SPIRE's prune_attested_nodes_expired_for keeps them
    // too), and deleting it would let the node attest again.
    public async Task<IReadOnlyList<AttestedNode>> ListExpiredAttestedNodesAsync(long expiredBefore, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return await InTransactionAsync((c, t) => QueryAsync(c, t,
            $"SELECT {NodeColumns} FROM attested_nodes WHERE banned = 0 AND cert_not_after < @before ORDER BY cert_not_after, spiffe_id LIMIT @limit",
            ReadNode, cancellationToken, ("before", expiredBefore), ("limit", limit)), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteExpiredAttestedNodeAsync(string spiffeId, long expiredBefore, CancellationToken cancellationToken = default) =>
        await InTransactionAsync((c, t) => ExecuteAsync(c, t,
            "DELETE FROM attested_nodes WHERE spiffe_id = @id AND banned = 0 AND cert_not_after < @before", cancellationToken,
            ("id", spiffeId), ("before", expiredBefore)), cancellationToken).ConfigureAwait(false) > 0;
}
