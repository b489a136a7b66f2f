using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Datastore;

public sealed partial class SqlDataStore
{
    private const string EntryColumns =
        "entry_id, spiffe_id, parent_id, selectors, x509_svid_ttl, jwt_svid_ttl, federates_with, dns_names, admin, downstream, hint, expires_at, revision, created_at";

    public async Task<RegistrationEntry> CreateEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var toStore = entry with
        {
            EntryId = string.IsNullOrEmpty(entry.EntryId) ? Guid.NewGuid().ToString() : entry.EntryId,
            CreatedAt = Now,
        };
        try
        {
            return await InTransactionAsync(async (c, t) =>
            {
                await RequireBundlesAsync(c, t, toStore.FederatesWith, cancellationToken).ConfigureAwait(false);
                var stored = toStore with { Revision = await NextRevisionAsync(c, t, cancellationToken).ConfigureAwait(false) };
                await ExecuteAsync(c, t, InsertEntrySql, cancellationToken, EntryParameters(stored)).ConfigureAwait(false);
                await WriteEntryChildrenAsync(c, t, stored, cancellationToken).ConfigureAwait(false);
                return stored;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e) when (_dialect.IsUniqueViolation(e))
        {
            throw await DuplicateAsync(toStore, e, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<RegistrationEntry> UpdateEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            return await InTransactionAsync(async (c, t) =>
            {
                var existing = await QueryAsync(c, t, $"SELECT {EntryColumns} FROM registered_entries WHERE entry_id = @id", ReadEntry, cancellationToken, ("id", entry.EntryId)).ConfigureAwait(false);
                if (existing.Count == 0)
                {
                    throw new DatastoreException(DatastoreError.NotFound, $"datastore: no registration entry with ID \"{entry.EntryId}\"");
                }

                await RequireBundlesAsync(c, t, entry.FederatesWith, cancellationToken).ConfigureAwait(false);
                var stored = entry with
                {
                    CreatedAt = existing[0].CreatedAt,
                    Revision = await NextRevisionAsync(c, t, cancellationToken).ConfigureAwait(false),
                };
                await ExecuteAsync(c, t, "UPDATE registered_entries SET selector_key = @selector_key, spiffe_id = @spiffe_id, parent_id = @parent_id, selectors = @selectors, x509_svid_ttl = @x509, jwt_svid_ttl = @jwt, federates_with = @fed, dns_names = @dns, admin = @admin, downstream = @downstream, hint = @hint, expires_at = @expires, revision = @revision WHERE entry_id = @entry_id",
                    cancellationToken, EntryParameters(stored)).ConfigureAwait(false);
                await ExecuteAsync(c, t, "DELETE FROM entry_selectors WHERE entry_id = @id", cancellationToken, ("id", stored.EntryId)).ConfigureAwait(false);
                await ExecuteAsync(c, t, "DELETE FROM entry_federation WHERE entry_id = @id", cancellationToken, ("id", stored.EntryId)).ConfigureAwait(false);
                await WriteEntryChildrenAsync(c, t, stored, cancellationToken).ConfigureAwait(false);
                return stored;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e) when (_dialect.IsUniqueViolation(e))
        {
            throw await DuplicateAsync(entry, e, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<RegistrationEntry?> DeleteEntryAsync(string entryId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, t) =>
        {
            var existing = await QueryAsync(c, t, $"SELECT {EntryColumns} FROM registered_entries WHERE entry_id = @id", ReadEntry, cancellationToken, ("id", entryId)).ConfigureAwait(false);
            if (existing.Count == 0)
            {
                return null;
            }

            // Deleting is a change too: agents learn of it by the revision moving on.
            var revision = await NextRevisionAsync(c, t, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(c, t, "DELETE FROM registered_entries WHERE entry_id = @id", cancellationToken, ("id", entryId)).ConfigureAwait(false);
            return existing[0] with { Revision = revision };
        }, cancellationToken)!;

    public async Task<RegistrationEntry?> GetEntryAsync(string entryId, CancellationToken cancellationToken = default)
    {
        var list = await InTransactionAsync((c, t) => QueryAsync(c, t, $"SELECT {EntryColumns} FROM registered_entries WHERE entry_id = @id", ReadEntry, cancellationToken, ("id", entryId)), cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    public async Task<IReadOnlyList<RegistrationEntry>> ListEntriesAsync(EntryFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = new StringBuilder($"SELECT {EntryColumns} FROM registered_entries WHERE 1 = 1");
        var parameters = new List<(string, object?)>();
        if (filter.SpiffeId is not null)
        {
            sql.Append(" AND spiffe_id = @spiffe_id");
            parameters.Add(("spiffe_id", filter.SpiffeId));
        }

        if (filter.ParentId is not null)
        {
            sql.Append(" AND parent_id = @parent_id");
            parameters.Add(("parent_id", filter.ParentId));
        }

        for (var i = 0; i < filter.Selectors.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND entry_id IN (SELECT entry_id FROM entry_selectors WHERE type = @st{i} AND value = @sv{i})");
            parameters.Add(($"st{i}", filter.Selectors[i].Type));
            parameters.Add(($"sv{i}", filter.Selectors[i].Value));
        }

        if (filter.FederatesWith is not null)
        {
            sql.Append(" AND entry_id IN (SELECT entry_id FROM entry_federation WHERE trust_domain = @fed)");
            parameters.Add(("fed", filter.FederatesWith));
        }

        if (filter.Downstream is bool downstream)
        {
            sql.Append(" AND downstream = @downstream");
            parameters.Add(("downstream", downstream ? 1 : 0));
        }

        sql.Append(" ORDER BY spiffe_id, parent_id, entry_id");
        return await InTransactionAsync((c, t) => QueryAsync(c, t, sql.ToString(), ReadEntry, cancellationToken, [.. parameters]), cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> CountEntriesAsync(CancellationToken cancellationToken = default) =>
        Convert.ToInt32(await InTransactionAsync((c, t) => ScalarAsync(c, t, "SELECT COUNT(*) FROM registered_entries", cancellationToken), cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) =>
        Convert.ToInt64(await InTransactionAsync((c, t) => ScalarAsync(c, t, "SELECT value FROM counters WHERE name = 'entry_revision'", cancellationToken), cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

    private static async Task<long> NextRevisionAsync(DbConnection c, DbTransaction t, CancellationToken cancellationToken)
    {
        // The row lock on the counter orders concurrent writers; the revision is monotonic across servers.
        var value = await ScalarAsync(c, t, "UPDATE counters SET value = value + 1 WHERE name = 'entry_revision' RETURNING value", cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    private static async Task RequireBundlesAsync(DbConnection c, DbTransaction t, IReadOnlyList<string> trustDomains, CancellationToken cancellationToken)
    {
        foreach (var td in trustDomains)
        {
            var count = await ScalarAsync(c, t, "SELECT COUNT(*) FROM bundles WHERE trust_domain = @td", cancellationToken, ("td", td)).ConfigureAwait(false);
            if (Convert.ToInt64(count, CultureInfo.InvariantCulture) == 0)
            {
                throw NoBundle(td);
            }
        }
    }

    private static async Task WriteEntryChildrenAsync(DbConnection c, DbTransaction t, RegistrationEntry entry, CancellationToken cancellationToken)
    {
        foreach (var s in entry.Selectors.Distinct())
        {
            await ExecuteAsync(c, t, "INSERT INTO entry_selectors (entry_id, type, value) VALUES (@id, @type, @value)", cancellationToken,
                ("id", entry.EntryId), ("type", s.Type), ("value", s.Value)).ConfigureAwait(false);
        }

        foreach (var td in entry.FederatesWith.Distinct())
        {
            await ExecuteAsync(c, t, "INSERT INTO entry_federation (entry_id, trust_domain) VALUES (@id, @td)", cancellationToken,
                ("id", entry.EntryId), ("td", td)).ConfigureAwait(false);
        }
    }

    private async Task<DatastoreException> DuplicateAsync(RegistrationEntry entry, DbException e, CancellationToken cancellationToken)
    {
        var same = await ListEntriesAsync(new EntryFilter { SpiffeId = entry.SpiffeId.ToString(), ParentId = entry.ParentId.ToString() }, cancellationToken).ConfigureAwait(false);
        var existing = same.FirstOrDefault(x => x.SelectorKey == entry.SelectorKey && x.EntryId != entry.EntryId);
        return Duplicate(entry, existing?.EntryId, e);
    }

    private static (string, object?)[] EntryParameters(RegistrationEntry e) =>
    [
        ("selector_key", e.SelectorKey),
        ("entry_id", e.EntryId),
        ("spiffe_id", e.SpiffeId.ToString()),
        ("parent_id", e.ParentId.ToString()),
        ("selectors", JsonSerializer.Serialize(e.Selectors.Select(s => s.ToString()))),
        ("x509", e.X509SvidTtl),
        ("jwt", e.JwtSvidTtl),
        ("fed", JsonSerializer.Serialize(e.FederatesWith)),
        ("dns", JsonSerializer.Serialize(e.DnsNames)),
        ("admin", e.Admin ? 1 : 0),
        ("downstream", e.Downstream ? 1 : 0),
        ("hint", e.Hint),
        ("expires", e.ExpiresAt),
        ("revision", e.Revision),
        ("created", e.CreatedAt),
    ];

    // Stored IDs were validated on the way in; they are parsed here, once per row, not per use.
    private static RegistrationEntry ReadEntry(DbDataReader r) => new()
    {
        EntryId = r.GetString(0),
        SpiffeId = SpiffeId.Parse(r.GetString(1)),
        ParentId = SpiffeId.Parse(r.GetString(2)),
        Selectors = JsonSerializer.Deserialize<string[]>(r.GetString(3))!.Select(s => Selector.TryParse(s, out var sel) ? sel : default).ToArray(),
        X509SvidTtl = Convert.ToInt32(r.GetValue(4), CultureInfo.InvariantCulture),
        JwtSvidTtl = Convert.ToInt32(r.GetValue(5), CultureInfo.InvariantCulture),
        FederatesWith = JsonSerializer.Deserialize<string[]>(r.GetString(6))!,
        DnsNames = JsonSerializer.Deserialize<string[]>(r.GetString(7))!,
        Admin = Convert.ToInt64(r.GetValue(8), CultureInfo.InvariantCulture) != 0,
        Downstream = Convert.ToInt64(r.GetValue(9), CultureInfo.InvariantCulture) != 0,
        Hint = r.GetString(10),
        ExpiresAt = Convert.ToInt64(r.GetValue(11), CultureInfo.InvariantCulture),
        Revision = Convert.ToInt64(r.GetValue(12), CultureInfo.InvariantCulture),
        CreatedAt = Convert.ToInt64(r.GetValue(13), CultureInfo.InvariantCulture),
    };
}
