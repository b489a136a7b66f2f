namespace AgentFabric.Server.Registration;

public enum RegistrationError
{
    InvalidArgument,
    NotFound,
    AlreadyExists,
    FailedPrecondition,
    PermissionDenied,

    /// <summary>The datastore could not be reached (a batch reports its unwritten entries so).</summary>
    Unavailable,
}

/// <summary>A registration request was refused; nothing was stored. The message is the exact text callers see.</summary>
public sealed class RegistrationException : Exception
{
    public RegistrationException()
    {
    }

    public RegistrationException(string message)
        : base(message)
    {
    }

    public RegistrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RegistrationException(RegistrationError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    public RegistrationError Error { get; } = RegistrationError.InvalidArgument;
}
