namespace AgentFabric.Spiffe.Svid.X509;

/// <summary>
/// Supplies the current X.509-SVID (go-spiffe's <c>x509svid.Source</c>). Callers ask on every use, so a source that
/// swaps in a rotated SVID takes effect for the next handshake.
/// </summary>
public interface IX509SvidSource
{
    /// <summary>The SVID to present now.</summary>
    X509Svid GetX509Svid();
}
