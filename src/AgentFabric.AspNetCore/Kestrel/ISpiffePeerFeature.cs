using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe;

namespace AgentFabric.AspNetCore;

/// <summary>
/// The TLS peer of a connection accepted by <see cref="SpiffeMtlsWebHostBuilderExtensions.UseSpiffeMtls(Microsoft.AspNetCore.Hosting.IWebHostBuilder, System.Net.IPEndPoint, Action{SpiffeMtlsOptions}?)"/>,
/// set on the connection's features by the handshake: <see cref="IsVerified"/> only after its X.509-SVID verified
/// against the bundle (X509-SVID §5) and the authorizer allowed it. Requests on the connection see it.
/// </summary>
public interface ISpiffePeerFeature
{
    /// <summary>Whether the handshake verified and authorized the peer.</summary>
    bool IsVerified { get; }

    /// <summary>The peer's SPIFFE ID (zero until verified).</summary>
    SpiffeId PeerId { get; }

    /// <summary>The peer's leaf certificate (null until verified).</summary>
    X509Certificate2? Certificate { get; }
}
