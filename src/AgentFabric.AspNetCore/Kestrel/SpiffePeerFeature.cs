using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe;

namespace AgentFabric.AspNetCore;

/// <summary>The connection's peer, filled in by the handshake's validation callback once it accepted the peer.</summary>
internal sealed class SpiffePeerFeature : ISpiffePeerFeature
{
    private volatile Verified? _verified;

    public bool IsVerified => _verified is not null;

    public SpiffeId PeerId => _verified?.Id ?? default;

    public X509Certificate2? Certificate => _verified?.Certificate;

    public void Accept(SpiffeId id, X509Certificate2 certificate) => _verified = new Verified(id, certificate);

    private sealed record Verified(SpiffeId Id, X509Certificate2 Certificate);
}
