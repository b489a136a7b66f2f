using System.Security.Authentication;

namespace AgentFabric.Spiffe.Tls;

/// <summary>
/// A TLS peer was rejected by SPIFFE rules: no certificate, an SVID that fails X509-SVID §5 verification, or an ID the
/// authorizer refused. Messages start with "spiffetls: " and give the reason. Derives from
/// <see cref="AuthenticationException"/> so that handshake failures are caught in one place.
/// </summary>
public sealed class SpiffeTlsException : AuthenticationException
{
    public SpiffeTlsException()
        : base("spiffetls: peer rejected")
    {
    }

    public SpiffeTlsException(string message)
        : base(message)
    {
    }

    public SpiffeTlsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
