using System.Data.Common;
using System.Globalization;

namespace AgentFabric.Server.Datastore;

public sealed partial class SqlDataStore
{
    private const string NodeColumns = "spiffe_id, attestation_type, cert_serial, cert_not_after, banned, created_at";

    public Task CreateAttestedNodeAsync(AttestedNode node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        return InTransactionAsync(async (c, t) =>
        {
            try
            {
                return await ExecuteAsync(c, t, $"INSERT INTO attested_nodes ({NodeColumns}) VALUES (@id, @type, @serial, @not_after, @banned, @created)", cancellationToken,
                    ("id", node.SpiffeId), ("type", node.AttestationType), ("serial", node.CertSerial), ("not_after", node.CertNotAfter),
                    ("banned", node.Banned ? 1 : 0), ("created", Now)).ConfigureAwait(false);
            }
            catch (DbException e) when (_dialect.IsUniqueViolation(e))
            {
                throw new DatastoreException(DatastoreError.AlreadyExists, $"datastore: node \"{node.SpiffeId}\" is already attested", e);
            }
        }, cancellationToken);
    }

    public async Task<AttestedNode?> GetAttestedNodeAsync(string spiffeId, CancellationToken cancellationToken = default)
    {
        var list = await InTransactionAsync((c, t) => QueryAsync(c, t, $"SELECT {NodeColumns} FROM attested_nodes WHERE spiffe_id = @id", ReadNode, cancellationToken, ("id", spiffeId)), cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    public async Task<IReadOnlyList<AttestedNode>> ListAttestedNodesAsync(CancellationToken cancellationToken = default) =>
        await InTransactionAsync((c, t) => QueryAsync(c, t, $"SELECT {NodeColumns} FROM attested_nodes ORDER BY created_at, spiffe_id", ReadNode, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task UpdateAttestedNodeCertAsync(string spiffeId, string serial, long notAfter, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, t) =>
        {
            var n = await ExecuteAsync(c, t, "UPDATE attested_nodes SET cert_serial = @serial, cert_not_after = @not_after WHERE spiffe_id = @id", cancellationToken,
                ("serial", serial), ("not_after", notAfter), ("id", spiffeId)).ConfigureAwait(false);
            return n == 0 ? throw NodeNotFound(spiffeId) : n;
        }, cancellationToken);

    public async Task<bool> ReplaceAttestedNodeCertAsync(string spiffeId, string expectedSerial, string serial, long notAfter, CancellationToken cancellationToken = default) =>
        await InTransactionAsync((c, t) => ExecuteAsync(c, t,
            "UPDATE attested_nodes SET cert_serial = @serial, cert_not_after = @not_after WHERE spiffe_id = @id AND cert_serial = @expected AND banned = 0", cancellationToken,
            ("serial", serial), ("not_after", notAfter), ("id", spiffeId), ("expected", expectedSerial)), cancellationToken).ConfigureAwait(false) == 1;

    public Task SetAttestedNodeBannedAsync(string spiffeId, bool banned, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, t) =>
        {
            // A banned node keeps its record (so it cannot attest again) but loses its SVID serial, so it can no
            // longer call the Agent API.
            var n = await ExecuteAsync(c, t, "UPDATE attested_nodes SET banned = @banned, cert_serial = CASE WHEN @banned = 1 THEN '' ELSE cert_serial END WHERE spiffe_id = @id", cancellationToken,
                ("banned", banned ? 1 : 0), ("id", spiffeId)).ConfigureAwait(false);
            return n == 0 ? throw NodeNotFound(spiffeId) : n;
        }, cancellationToken);

    public async Task<bool> DeleteAttestedNodeAsync(string spiffeId, CancellationToken cancellationToken = default) =>
        await InTransactionAsync((c, t) => ExecuteAsync(c, t, "DELETE FROM attested_nodes WHERE spiffe_id = @id", cancellationToken, ("id", spiffeId)), cancellationToken).ConfigureAwait(false) > 0;

    private static DatastoreException NodeNotFound(string spiffeId) =>
        new(DatastoreError.NotFound, $"datastore: no attested node \"{spiffeId}\"");

    private static AttestedNode ReadNode(DbDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture),
        Convert.ToInt64(r.GetValue(4), CultureInfo.InvariantCulture) != 0,
        Convert.ToInt64(r.GetValue(5), CultureInfo.InvariantCulture));
}
