namespace AgentFabric.Server.Datastore;

/// <summary>The schema, as ordered migrations shared by SQLite and PostgreSQL (portable types only: TEXT, BIGINT,
/// INTEGER). A migration is applied in one transaction with its row in schema_migrations, so a crash leaves the
/// schema at a whole version.</summary>
internal static class SchemaMigrations
{
    public static readonly IReadOnlyList<string> Steps =
    [
        """
        CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
        INSERT INTO counters (name, value) VALUES ('entry_revision', 0);
        CREATE TABLE registered_entries (
            entry_id TEXT PRIMARY KEY,
            spiffe_id TEXT NOT NULL,
            parent_id TEXT NOT NULL,
            selector_key TEXT NOT NULL,
            selectors TEXT NOT NULL,
            x509_svid_ttl INTEGER NOT NULL,
            jwt_svid_ttl INTEGER NOT NULL,
            federates_with TEXT NOT NULL,
            dns_names TEXT NOT NULL,
            admin INTEGER NOT NULL,
            downstream INTEGER NOT NULL,
            hint TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            revision BIGINT NOT NULL,
            created_at BIGINT NOT NULL);
        CREATE UNIQUE INDEX ux_entries_identity ON registered_entries (spiffe_id, parent_id, selector_key);
        CREATE INDEX ix_entries_parent ON registered_entries (parent_id);
        CREATE TABLE entry_selectors (
            entry_id TEXT NOT NULL REFERENCES registered_entries (entry_id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (entry_id, type, value));
        CREATE INDEX ix_entry_selectors ON entry_selectors (type, value);
        CREATE TABLE entry_federation (
            entry_id TEXT NOT NULL REFERENCES registered_entries (entry_id) ON DELETE CASCADE,
            trust_domain TEXT NOT NULL,
            PRIMARY KEY (entry_id, trust_domain));
        CREATE INDEX ix_entry_federation ON entry_federation (trust_domain);
        CREATE TABLE join_tokens (token TEXT PRIMARY KEY, expires_at BIGINT NOT NULL);
        CREATE TABLE attested_nodes (
            spiffe_id TEXT PRIMARY KEY,
            attestation_type TEXT NOT NULL,
            cert_serial TEXT NOT NULL,
            cert_not_after BIGINT NOT NULL,
            banned INTEGER NOT NULL,
            created_at BIGINT NOT NULL);
        CREATE TABLE bundles (
            trust_domain TEXT PRIMARY KEY,
            x509_pem TEXT NOT NULL,
            jwt_keys TEXT NOT NULL,
            refresh_hint BIGINT NOT NULL,
            sequence_number BIGINT NOT NULL,
            updated_at BIGINT NOT NULL);
        """,

        // 2: dynamic federation relationships (federation create|update|delete). Only adds a table: existing data stays.
        """
        CREATE TABLE federation_relationships (
            trust_domain TEXT PRIMARY KEY,
            bundle_endpoint_url TEXT NOT NULL,
            bundle_endpoint_profile TEXT NOT NULL,
            endpoint_spiffe_id TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL);
        """,
    ];
}
