namespace AgentFabric.Server.Registration;

/// <summary>What became of one entry of a batch create: the stored entry, or the error that refused it (the same
/// error, and message, CreateEntry gives for that entry alone). Exactly one of the two is set.</summary>
public sealed record EntryBatchResult
{
    private EntryBatchResult(RegistrationEntry? stored, RegistrationException? error)
    {
        Stored = stored;
        Error = error;
    }

    public RegistrationEntry? Stored { get; }

    public RegistrationException? Error { get; }

    public static EntryBatchResult Created(RegistrationEntry stored) =>
        new(stored ?? throw new ArgumentNullException(nameof(stored)), null);

    public static EntryBatchResult Refused(RegistrationException error) =>
        new(null, error ?? throw new ArgumentNullException(nameof(error)));
}
