using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Spiffe.Tls;

/// <summary>
/// Decides whether a peer whose X.509-SVID has been verified may connect (go-spiffe's <c>tlsconfig.Authorizer</c>).
/// Runs after verification, so <paramref name="peerId"/> is authentic.
/// </summary>
public interface ISpiffeAuthorizer
{
    /// <summary>Allows or denies <paramref name="peerId"/>.</summary>
    /// <param name="peerId">The verified SPIFFE ID of the peer.</param>
    /// <param name="verifiedChains">The chains, leaf to bundle authority, that verified the peer.</param>
    SpiffeAuthorizationResult Authorize(SpiffeId peerId, IReadOnlyList<IReadOnlyList<X509Certificate2>> verifiedChains);
}
