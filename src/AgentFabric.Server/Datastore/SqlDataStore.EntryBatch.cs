using System.Data.Common;
using System.Globalization;

namespace AgentFabric.Server.Datastore;

public sealed partial class SqlDataStore
{
    private const string InsertEntrySql =
        $"INSERT INTO registered_entries (selector_key, {EntryColumns}) VALUES (@selector_key, @entry_id, @spiffe_id, @parent_id, @selectors, @x509, @jwt, @fed, @dns, @admin, @downstream, @hint, @expires, @revision, @created)";

    public async Task<IReadOnlyList<EntryCreateResult>> CreateEntriesAsync(IReadOnlyList<RegistrationEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return [];
        }

        var createdAt = Now;
        return await InTransactionAsync(async (c, t) =>
        {
            // Writing the counter first takes its lock (PostgreSQL's row lock, SQLite's write lock) for the whole
            // batch: no other writer interleaves, so the stored entries get consecutive revisions with no gaps.
            var revision = Convert.ToInt64(await ScalarAsync(c, t, "UPDATE counters SET value = value WHERE name = 'entry_revision' RETURNING value", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            var firstRevision = revision;
            var batch = new BatchCommands(c, t);
            await using (batch.ConfigureAwait(false))
            {
                var results = new EntryCreateResult[entries.Count];
                var bundles = new Dictionary<string, bool>(StringComparer.Ordinal);
                for (var i = 0; i < entries.Count; i++)
                {
                    var entry = entries[i] ?? throw new ArgumentException("datastore: a batch holds a null entry", nameof(entries));
                    var toStore = entry with
                    {
                        EntryId = string.IsNullOrEmpty(entry.EntryId) ? Guid.NewGuid().ToString() : entry.EntryId,
                        CreatedAt = createdAt,
                        Revision = revision + 1,
                    };
                    if (await MissingBundleAsync(batch, bundles, toStore.FederatesWith, cancellationToken).ConfigureAwait(false) is { } td)
                    {
                        results[i] = EntryCreateResult.Refused(NoBundle(td));
                        continue;
                    }

                    // ON CONFLICT DO NOTHING (both databases) keeps the transaction usable after a duplicate, where a
                    // unique violation would abort it on PostgreSQL.
                    if (await batch.Execute(BatchCommands.Insert, EntryParameters(toStore), cancellationToken).ConfigureAwait(false) == 0)
                    {
                        results[i] = EntryCreateResult.Refused(await DuplicateInBatchAsync(batch, toStore, cancellationToken).ConfigureAwait(false));
                        continue;
                    }

                    foreach (var s in toStore.Selectors.Distinct())
                    {
                        await batch.Execute(BatchCommands.InsertSelector, [("id", toStore.EntryId), ("type", s.Type), ("value", s.Value)], cancellationToken).ConfigureAwait(false);
                    }

                    foreach (var f in toStore.FederatesWith.Distinct())
                    {
                        await batch.Execute(BatchCommands.InsertFederation, [("id", toStore.EntryId), ("td", f)], cancellationToken).ConfigureAwait(false);
                    }

                    revision++;
                    results[i] = EntryCreateResult.Created(toStore);
                }

                if (revision != firstRevision)
                {
                    await ExecuteAsync(c, t, "UPDATE counters SET value = @v WHERE name = 'entry_revision'", cancellationToken, ("v", revision)).ConfigureAwait(false);
                }

                return (IReadOnlyList<EntryCreateResult>)results;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string?> MissingBundleAsync(BatchCommands batch, Dictionary<string, bool> known, IReadOnlyList<string> trustDomains, CancellationToken cancellationToken)
    {
        foreach (var td in trustDomains)
        {
            if (!known.TryGetValue(td, out var present))
            {
                var count = await batch.Scalar(BatchCommands.CountBundles, [("td", td)], cancellationToken).ConfigureAwait(false);
                present = Convert.ToInt64(count, CultureInfo.InvariantCulture) != 0;
                known[td] = present;
            }

            if (!present)
            {
                return td;
            }
        }

        return null;
    }

    // Read inside the batch's transaction, so a duplicate of an earlier entry of the same batch is named too.
    private static async Task<DatastoreException> DuplicateInBatchAsync(BatchCommands batch, RegistrationEntry entry, CancellationToken cancellationToken)
    {
        var similar = await batch.Scalar(BatchCommands.FindSimilar, [("spiffe_id", entry.SpiffeId.ToString()), ("parent_id", entry.ParentId.ToString()), ("selector_key", entry.SelectorKey)], cancellationToken).ConfigureAwait(false);
        return Duplicate(entry, similar as string is { } id && id != entry.EntryId ? id : null, null);
    }

    private static DatastoreException Duplicate(RegistrationEntry entry, string? similarEntryId, Exception? cause) => new(
        DatastoreError.AlreadyExists,
        similarEntryId is null
            ? $"datastore: a registration entry with ID \"{entry.EntryId}\" already exists"
            : $"datastore: similar entry already exists (entry ID \"{similarEntryId}\" has the same SPIFFE ID, parent ID and selectors)",
        cause);

    private static DatastoreException NoBundle(string trustDomain) =>
        new(DatastoreError.FailedPrecondition, $"datastore: no bundle for federated trust domain \"{trustDomain}\"; set it first (bundle set)");

    /// <summary>The statements of a batch, each prepared once and rebound per entry (a new command per row costs
    /// more than the row's insert on SQLite).</summary>
    private sealed class BatchCommands(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        public const string Insert = InsertEntrySql + " ON CONFLICT DO NOTHING";

        public const string InsertSelector = "INSERT INTO entry_selectors (entry_id, type, value) VALUES (@id, @type, @value)";

        public const string InsertFederation = "INSERT INTO entry_federation (entry_id, trust_domain) VALUES (@id, @td)";

        public const string CountBundles = "SELECT COUNT(*) FROM bundles WHERE trust_domain = @td";

        public const string FindSimilar = "SELECT entry_id FROM registered_entries WHERE spiffe_id = @spiffe_id AND parent_id = @parent_id AND selector_key = @selector_key";

        private readonly Dictionary<string, DbCommand> _bySql = new(StringComparer.Ordinal);

        public Task<int> Execute(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken) =>
            Bind(sql, parameters).ExecuteNonQueryAsync(cancellationToken);

        public async Task<object?> Scalar(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
        {
            var value = await Bind(sql, parameters).ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }

        private DbCommand Bind(string sql, (string Name, object? Value)[] parameters)
        {
            if (!_bySql.TryGetValue(sql, out var command))
            {
                command = Command(connection, transaction, sql, parameters);
                _bySql[sql] = command;
                return command;
            }

            // Same statement, same parameter order: only the values change.
            for (var i = 0; i < parameters.Length; i++)
            {
                command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
            }

            return command;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in _bySql.Values)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
