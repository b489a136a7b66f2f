namespace AgentFabric.Server.Ca;

/// <summary>The CA cannot do what was asked ("ca: ..."): a bad CSR, a missing key, an unusable upstream CA.</summary>
public sealed class CaException : Exception
{
    public CaException()
    {
    }

    public CaException(string message)
        : base(message)
    {
    }

    public CaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
