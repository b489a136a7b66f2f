using System.Globalization;
using AgentFabric.Server.Datastore;

namespace AgentFabric.Server.Registration;

public sealed partial class RegistrationService
{
    /// <summary>The most entries one batch create takes (SPIRE sets none but gRPC's message size; ours fails closed
    /// with a message saying to split, instead of a bare ResourceExhausted).</summary>
    public const int MaxBatchEntries = 10_000;

    /// <summary>Entries written per datastore transaction: large enough to amortize the commit, small enough that
    /// other writers (and agents waiting for a push) do not wait long behind a batch.</summary>
    public const int BatchChunkSize = 1_000;

    /// <summary>
    /// Creates many entries (SPIRE's BatchCreateEntry): each item is read with <paramref name="read"/> (which may
    /// throw <see cref="RegistrationException"/> for a malformed item) and validated exactly as
    /// <see cref="CreateEntryAsync"/> does; the valid ones are stored in one transaction per
    /// <see cref="BatchChunkSize"/>. One result per item, in order: a bad item never stops the others.
    /// </summary>
    /// <exception cref="RegistrationException">InvalidArgument: no items, or more than <see cref="MaxBatchEntries"/>.</exception>
    public async Task<IReadOnlyList<EntryBatchResult>> CreateEntriesAsync<T>(
        IReadOnlyList<T> items, Func<T, RegistrationEntry> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(read);
        CheckBatchSize(items.Count);
        var results = new EntryBatchResult[items.Count];
        var valid = new List<(int Index, RegistrationEntry Entry)>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            try
            {
                valid.Add((i, EntryValidator.Validate(read(items[i]), TrustDomain)));
            }
            catch (RegistrationException e)
            {
                results[i] = EntryBatchResult.Refused(e);
            }
        }

        for (var start = 0; start < valid.Count; start += BatchChunkSize)
        {
            var chunk = valid.GetRange(start, Math.Min(BatchChunkSize, valid.Count - start));
            try
            {
                await WriteChunkAsync(chunk, results, cancellationToken).ConfigureAwait(false);
            }
            catch (DatastoreException e)
            {
                // The datastore went away mid-batch: earlier chunks are stored and reported so; this and later
                // chunks are reported failed (nothing of them was stored), never silently dropped.
                foreach (var (index, _) in valid.Skip(start))
                {
                    results[index] = EntryBatchResult.Refused(new RegistrationException(e.Error == DatastoreError.Unavailable ? RegistrationError.Unavailable : RegistrationError.FailedPrecondition, "registration: " + e.Message["datastore: ".Length..], e));
                }

                break;
            }
        }

        return results;
    }

    private static void CheckBatchSize(int count)
    {
        if (count == 0)
        {
            throw new RegistrationException(RegistrationError.InvalidArgument, "registration: the batch holds no entries");
        }

        if (count > MaxBatchEntries)
        {
            throw new RegistrationException(RegistrationError.InvalidArgument, string.Create(CultureInfo.InvariantCulture,
                $"registration: a batch holds at most {MaxBatchEntries} entries, got {count}; split it into several requests"));
        }
    }

    private async Task WriteChunkAsync(List<(int Index, RegistrationEntry Entry)> chunk, EntryBatchResult[] results, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var written = await _store.CreateEntriesAsync(chunk.ConvertAll(c => c.Entry), cancellationToken).ConfigureAwait(false);
            var stored = new List<RegistrationEntry>(written.Count);
            for (var i = 0; i < written.Count; i++)
            {
                if (written[i].Stored is { } entry)
                {
                    stored.Add(entry);
                    results[chunk[i].Index] = EntryBatchResult.Created(entry);
                }
                else
                {
                    results[chunk[i].Index] = EntryBatchResult.Refused(ToRegistrationError(written[i].Error!));
                }
            }

            // One cache update and one wake-up of the agents' streams per chunk, not per entry.
            Cache.UpsertMany(stored);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
