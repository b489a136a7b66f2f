using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Server.Ca;

public enum AuthorityState
{
    /// <summary>Published in the bundle but not signing yet.</summary>
    Prepared,

    /// <summary>Signs SVIDs.</summary>
    Active,

    /// <summary>No longer signs; stays in the bundle until it expires so SVIDs it signed still verify.</summary>
    Old,
}

/// <summary>One X.509 CA of the trust domain: its certificate, the key id in the key manager, and the chain above it
/// (empty for a self-signed root; the upstream intermediates otherwise).</summary>
public sealed record X509Authority(
    string KeyId,
    X509Certificate2 Certificate,
    IReadOnlyList<X509Certificate2> UpstreamChain,
    AuthorityState State)
{
    public DateTimeOffset NotBefore => new(Certificate.NotBefore.ToUniversalTime());

    public DateTimeOffset NotAfter => new(Certificate.NotAfter.ToUniversalTime());
}
