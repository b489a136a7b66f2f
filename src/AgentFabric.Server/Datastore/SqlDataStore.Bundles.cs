using System.Data.Common;
using System.Globalization;

namespace AgentFabric.Server.Datastore;

public sealed partial class SqlDataStore
{
    private const string BundleColumns = "trust_domain, x509_pem, jwt_keys, refresh_hint, sequence_number, updated_at";

    public Task<StoredBundle> SetBundleAsync(string trustDomain, string x509Pem, string jwtKeysJson, long refreshHintSeconds, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, t) =>
        {
            var now = Now;
            await ExecuteAsync(c, t,
                $"INSERT INTO bundles ({BundleColumns}) VALUES (@td, @pem, @jwt, @hint, 1, @now) " +
                "ON CONFLICT (trust_domain) DO UPDATE SET x509_pem = excluded.x509_pem, jwt_keys = excluded.jwt_keys, refresh_hint = excluded.refresh_hint, sequence_number = bundles.sequence_number + 1, updated_at = excluded.updated_at",
                cancellationToken, ("td", trustDomain), ("pem", x509Pem), ("jwt", jwtKeysJson), ("hint", refreshHintSeconds), ("now", now)).ConfigureAwait(false);
            var list = await QueryAsync(c, t, $"SELECT {BundleColumns} FROM bundles WHERE trust_domain = @td", ReadBundle, cancellationToken, ("td", trustDomain)).ConfigureAwait(false);
            return list[0];
        }, cancellationToken);

    public async Task<StoredBundle?> GetBundleAsync(string trustDomain, CancellationToken cancellationToken = default)
    {
        var list = await InTransactionAsync((c, t) => QueryAsync(c, t, $"SELECT {BundleColumns} FROM bundles WHERE trust_domain = @td", ReadBundle, cancellationToken, ("td", trustDomain)), cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    public async Task<IReadOnlyList<StoredBundle>> ListBundlesAsync(CancellationToken cancellationToken = default) =>
        await InTransactionAsync((c, t) => QueryAsync(c, t, $"SELECT {BundleColumns} FROM bundles ORDER BY trust_domain", ReadBundle, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<bool> DeleteBundleAsync(string trustDomain, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, t) =>
        {
            var users = Convert.ToInt64(await ScalarAsync(c, t, "SELECT COUNT(*) FROM entry_federation WHERE trust_domain = @td", cancellationToken, ("td", trustDomain)).ConfigureAwait(false), CultureInfo.InvariantCulture);
            if (users > 0)
            {
                throw new DatastoreException(DatastoreError.FailedPrecondition,
                    string.Create(CultureInfo.InvariantCulture, $"datastore: cannot delete bundle; federated with {users} registration entries"));
            }

            return await ExecuteAsync(c, t, "DELETE FROM bundles WHERE trust_domain = @td", cancellationToken, ("td", trustDomain)).ConfigureAwait(false) > 0;
        }, cancellationToken);

    private static StoredBundle ReadBundle(DbDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture),
        Convert.ToInt64(r.GetValue(4), CultureInfo.InvariantCulture),
        Convert.ToInt64(r.GetValue(5), CultureInfo.InvariantCulture));
}
