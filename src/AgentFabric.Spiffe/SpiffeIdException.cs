namespace AgentFabric.Spiffe;

/// <summary>
/// A SPIFFE ID or trust domain name broke a rule of the SPIFFE-ID specification.
/// Messages start with "spiffeid: " and name the rule that was broken.
/// </summary>
public sealed class SpiffeIdException : Exception
{
    public SpiffeIdException()
        : base("spiffeid: invalid SPIFFE ID")
    {
    }

    public SpiffeIdException(string message)
        : base(message)
    {
    }

    public SpiffeIdException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
