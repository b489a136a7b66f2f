namespace AgentFabric.Server.Federation;

/// <summary>A bundle could not be read, fetched or stored ("federation: ...").</summary>
public sealed class FederationException : Exception
{
    public FederationException()
    {
    }

    public FederationException(string message)
        : base(message)
    {
    }

    public FederationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
