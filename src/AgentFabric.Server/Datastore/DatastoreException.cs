namespace AgentFabric.Server.Datastore;

public enum DatastoreError
{
    NotFound,
    AlreadyExists,
    FailedPrecondition,
    Unavailable,
}

/// <summary>A datastore operation failed ("datastore: ..."); nothing was changed.</summary>
public sealed class DatastoreException : Exception
{
    public DatastoreException()
    {
    }

    public DatastoreException(string message)
        : base(message)
    {
    }

    public DatastoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DatastoreException(DatastoreError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    public DatastoreError Error { get; } = DatastoreError.Unavailable;
}
