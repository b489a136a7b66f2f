namespace AgentFabric.Server.Datastore;

/// <summary>What became of one entry of a batch: the stored entry, or the error that refused it (nothing of it
/// was stored). Exactly one of the two is set.</summary>
public sealed record EntryCreateResult
{
    private EntryCreateResult(RegistrationEntry? stored, DatastoreException? error)
    {
        Stored = stored;
        Error = error;
    }

    public RegistrationEntry? Stored { get; }

    public DatastoreException? Error { get; }

    public static EntryCreateResult Created(RegistrationEntry stored) =>
        new(stored ?? throw new ArgumentNullException(nameof(stored)), null);

    public static EntryCreateResult Refused(DatastoreException error) =>
        new(null, error ?? throw new ArgumentNullException(nameof(error)));
}
