using AgentFabric.Server.Datastore;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Registration;

/// <summary>
/// Registration entries, join tokens and attested nodes, as the Admin API exposes them: validates, stores in one
/// datastore transaction, then applies the change to the <see cref="EntryCache"/> that agents sync from. Writes are
/// serialized so the cache sees them in revision order.
/// </summary>
public sealed partial class RegistrationService
{
    private readonly IDataStore _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public RegistrationService(TrustDomain trustDomain, IDataStore store, EntryCache cache, TimeProvider time)
    {
        TrustDomain = trustDomain;
        _store = store;
        Cache = cache;
        _time = time;
    }

    public TrustDomain TrustDomain { get; }

    public EntryCache Cache { get; }

    /// <summary>Signalled when a node is evicted, banned or renewed, so open agent streams re-check their node.</summary>
    public ChangeSignal NodesChanged { get; } = new();

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var revision = await _store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
            var entries = await _store.ListEntriesAsync(EntryFilter.All, cancellationToken).ConfigureAwait(false);
            Cache.Load(entries, revision);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task<RegistrationEntry> CreateEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken = default)
    {
        var valid = EntryValidator.Validate(entry, TrustDomain);
        return WriteAsync(async () =>
        {
            var stored = await _store.CreateEntryAsync(valid, cancellationToken).ConfigureAwait(false);
            Cache.Upsert(stored);
            return stored;
        }, cancellationToken);
    }

    /// <summary>Replaces every field of the entry <paramref name="entry"/>.EntryId (as SPIRE's entry update does).</summary>
    public Task<RegistrationEntry> UpdateEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        RequireEntryIdToUpdate(entry.EntryId);
        var valid = EntryValidator.Validate(entry, TrustDomain);
        return WriteAsync(async () =>
        {
            var stored = await _store.UpdateEntryAsync(valid, cancellationToken).ConfigureAwait(false);
            Cache.Upsert(stored);
            return stored;
        }, cancellationToken);
    }

    /// <summary>An update names the entry it replaces; checked before anything else of the update.</summary>
    public static void RequireEntryIdToUpdate(string? entryId)
    {
        if (string.IsNullOrEmpty(entryId))
        {
            throw new RegistrationException(RegistrationError.InvalidArgument, "registration: entry ID is required to update an entry");
        }
    }

    public Task<RegistrationEntry> DeleteEntryAsync(string entryId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(entryId))
        {
            throw new RegistrationException(RegistrationError.InvalidArgument, "registration: entry ID is required");
        }

        return WriteAsync(async () =>
        {
            var deleted = await _store.DeleteEntryAsync(entryId, cancellationToken).ConfigureAwait(false)
                ?? throw NoEntry(entryId);
            Cache.Remove(entryId, deleted.Revision);
            return deleted;
        }, cancellationToken);
    }

    public async Task<RegistrationEntry> GetEntryAsync(string entryId, CancellationToken cancellationToken = default) =>
        await _store.GetEntryAsync(entryId, cancellationToken).ConfigureAwait(false) ?? throw NoEntry(entryId);

    public Task<IReadOnlyList<RegistrationEntry>> ListEntriesAsync(EntryFilter filter, CancellationToken cancellationToken = default) =>
        _store.ListEntriesAsync(filter, cancellationToken);

    private static RegistrationException NoEntry(string entryId) =>
        new(RegistrationError.NotFound, $"registration: no registration entry with ID \"{entryId}\"");

    /// <summary>A datastore refusal as the Admin API reports it: same kind, same text under "registration: ".</summary>
    private static RegistrationException ToRegistrationError(DatastoreException e)
    {
        var error = e.Error switch
        {
            DatastoreError.NotFound => RegistrationError.NotFound,
            DatastoreError.AlreadyExists => RegistrationError.AlreadyExists,
            _ => RegistrationError.FailedPrecondition,
        };
        return new RegistrationException(error, "registration: " + e.Message["datastore: ".Length..], e);
    }

    private async Task<T> WriteAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (DatastoreException e) when (e.Error != DatastoreError.Unavailable)
        {
            throw ToRegistrationError(e);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
