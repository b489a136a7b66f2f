namespace AgentFabric.Spiffe.Svid.X509;

/// <summary>An X.509-SVID could not be parsed, broke a rule of X509-SVID.md, or failed verification.
/// Messages start with "x509svid: " and name the rule that was broken.</summary>
public sealed class X509SvidException : Exception
{
    public X509SvidException()
        : base("x509svid: invalid X.509-SVID")
    {
    }

    public X509SvidException(string message)
        : base(message)
    {
    }

    public X509SvidException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
