using System.Data.Common;
using AgentFabric.Server.Config;
using AgentFabric.Server.Datastore;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentFabric.Server.Tests.Datastore;

/// <summary>Dynamic federation relationships in the datastore (SQLite and PostgreSQL), and migration 2 on a
/// database written before it.</summary>
public class FederationRelationshipStoreTests
{
    private static readonly StoredFederationRelationship s_partner =
        new("partner.com", "https://partner.com:8443/", "https_spiffe", "spiffe://partner.com/spire/server");

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Relationships_CreateGetListUpdateDelete(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        var store = t.Store;
        Assert.Empty(await store.ListFederationRelationshipsAsync());
        await store.CreateFederationRelationshipAsync(s_partner);
        await store.CreateFederationRelationshipAsync(new("another.org", "https://another.org/bundle", "https_web", ""));
        Assert.Equal(s_partner, await store.GetFederationRelationshipAsync("partner.com"));
        Assert.Equal(["another.org", "partner.com"], (await store.ListFederationRelationshipsAsync()).Select(r => r.TrustDomain));

        var duplicate = await Assert.ThrowsAsync<DatastoreException>(() => store.CreateFederationRelationshipAsync(s_partner with { BundleEndpointUrl = "https://x/" }));
        Assert.Equal((DatastoreError.AlreadyExists, "datastore: a federation relationship with \"partner.com\" already exists"), (duplicate.Error, duplicate.Message));
        Assert.Equal(s_partner, await store.GetFederationRelationshipAsync("partner.com"));

        var web = s_partner with { BundleEndpointUrl = "https://web.partner.com/", BundleEndpointProfile = "https_web", EndpointSpiffeId = "" };
        Assert.True(await store.UpdateFederationRelationshipAsync(web));
        Assert.Equal(web, await store.GetFederationRelationshipAsync("partner.com"));
        Assert.False(await store.UpdateFederationRelationshipAsync(web with { TrustDomain = "unknown.org" }));

        Assert.True(await store.DeleteFederationRelationshipAsync("partner.com"));
        Assert.False(await store.DeleteFederationRelationshipAsync("partner.com"));
        Assert.Null(await store.GetFederationRelationshipAsync("partner.com"));
        Assert.Equal(["another.org"], (await store.ListFederationRelationshipsAsync()).Select(r => r.TrustDomain));
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Migration2_OnAVersion1Database_KeepsItsData(string kind)
    {
        await using var t = await TestStore.OpenAsync(kind);
        var entry = await t.Store.CreateEntryAsync(new RegistrationEntry
        {
            SpiffeId = Spiffe.SpiffeId.Parse("spiffe://example.org/w"),
            ParentId = Spiffe.SpiffeId.Parse("spiffe://example.org/agent"),
            Selectors = [new Selector("unix", "uid:1")],
        });
        await t.Store.SetBundleAsync("partner.com", "", "[]", 0);

        // Back to version 1: the state of a database written before federation relationships were stored.
        await ExecuteAsync(t, "DROP TABLE federation_relationships; DELETE FROM schema_migrations WHERE version = 2;");
        await using (var v1 = await t.ReopenAsync())
        {
            Assert.Equal(2, await v1.GetSchemaVersionAsync());
            Assert.Equal(entry.EntryId, (await v1.GetEntryAsync(entry.EntryId))!.EntryId);
            Assert.NotNull(await v1.GetBundleAsync("partner.com"));
            Assert.Equal(1, await v1.GetRevisionAsync());
            await v1.CreateFederationRelationshipAsync(s_partner);
        }

        await using var again = await t.ReopenAsync();
        Assert.Equal(s_partner, await again.GetFederationRelationshipAsync("partner.com"));
    }

    private static async Task ExecuteAsync(TestStore t, string sql)
    {
        await using DbConnection connection = t.Kind == DatastoreKind.Sqlite ? new SqliteConnection($"Data Source={t.ConnectionString}") : new NpgsqlConnection(t.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
