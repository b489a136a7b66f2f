using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Spiffe.Svid.X509;

/// <summary>A verified peer X.509-SVID: its SPIFFE ID and the chains (leaf to a bundle authority) that verified it.</summary>
public sealed record X509SvidVerificationResult(
    SpiffeId Id,
    IReadOnlyList<IReadOnlyList<X509Certificate2>> VerifiedChains);
