using System.Data.Common;

namespace AgentFabric.Server.Datastore;

public sealed partial class SqlDataStore
{
    private const string RelationshipColumns = "trust_domain, bundle_endpoint_url, bundle_endpoint_profile, endpoint_spiffe_id";

    public Task CreateFederationRelationshipAsync(StoredFederationRelationship relationship, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(relationship);
        return InTransactionAsync(async (c, t) =>
        {
            try
            {
                var now = Now;
                return await ExecuteAsync(c, t,
                    $"INSERT INTO federation_relationships ({RelationshipColumns}, created_at, updated_at) VALUES (@td, @url, @profile, @endpoint, @now, @now)",
                    cancellationToken, RelationshipParameters(relationship, now)).ConfigureAwait(false);
            }
            catch (DbException e) when (_dialect.IsUniqueViolation(e))
            {
                throw new DatastoreException(DatastoreError.AlreadyExists, $"datastore: a federation relationship with \"{relationship.TrustDomain}\" already exists", e);
            }
        }, cancellationToken);
    }

    public async Task<bool> UpdateFederationRelationshipAsync(StoredFederationRelationship relationship, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(relationship);
        var changed = await InTransactionAsync((c, t) => ExecuteAsync(c, t,
            "UPDATE federation_relationships SET bundle_endpoint_url = @url, bundle_endpoint_profile = @profile, endpoint_spiffe_id = @endpoint, updated_at = @now WHERE trust_domain = @td",
            cancellationToken, RelationshipParameters(relationship, Now)), cancellationToken).ConfigureAwait(false);
        return changed > 0;
    }

    public async Task<StoredFederationRelationship?> GetFederationRelationshipAsync(string trustDomain, CancellationToken cancellationToken = default)
    {
        var list = await InTransactionAsync((c, t) => QueryAsync(c, t,
            $"SELECT {RelationshipColumns} FROM federation_relationships WHERE trust_domain = @td", ReadRelationship, cancellationToken, ("td", trustDomain)), cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    public async Task<IReadOnlyList<StoredFederationRelationship>> ListFederationRelationshipsAsync(CancellationToken cancellationToken = default) =>
        await InTransactionAsync((c, t) => QueryAsync(c, t,
            $"SELECT {RelationshipColumns} FROM federation_relationships ORDER BY trust_domain", ReadRelationship, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<bool> DeleteFederationRelationshipAsync(string trustDomain, CancellationToken cancellationToken = default) =>
        await InTransactionAsync((c, t) => ExecuteAsync(c, t,
            "DELETE FROM federation_relationships WHERE trust_domain = @td", cancellationToken, ("td", trustDomain)), cancellationToken).ConfigureAwait(false) > 0;

    private static (string Name, object? Value)[] RelationshipParameters(StoredFederationRelationship r, long now) =>
    [
        ("td", r.TrustDomain),
        ("url", r.BundleEndpointUrl),
        ("profile", r.BundleEndpointProfile),
        ("endpoint", r.EndpointSpiffeId),
        ("now", now),
    ];

    private static StoredFederationRelationship ReadRelationship(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3));
}
