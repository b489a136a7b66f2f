namespace AgentFabric.Server.KeyManagement;

/// <summary>A key could not be stored or loaded ("keymanager: ...").</summary>
public sealed class KeyManagerException : Exception
{
    public KeyManagerException()
    {
    }

    public KeyManagerException(string message)
        : base(message)
    {
    }

    public KeyManagerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
