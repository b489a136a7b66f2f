using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Agent.Identity;

/// <summary>
/// The agent's connection to the identity server, as the workload side needs it: the authorized entries and bundles
/// (kept current by the server sync), and signing. The workload's private key never leaves the agent: the provider
/// receives a PKCS#10 CSR and returns the signed chain. The server client (node attestation, entry sync, SVID
/// signing over the Agent API) implements this; a local CA implements it in tests.
/// </summary>
public interface IWorkloadIdentityProvider
{
    /// <summary>The latest synced entries and bundles.</summary>
    IdentitySnapshot Current { get; }

    /// <summary>Raised after <see cref="Current"/> changed (entries added/removed/changed, bundle rotated).</summary>
    event EventHandler? Changed;

    /// <summary>
    /// Signs an X.509-SVID for <paramref name="entry"/>: <paramref name="csrDer"/> is a DER PKCS#10 request whose
    /// public key goes into the leaf. Returns the chain, leaf first, then any intermediates, as new certificates the
    /// caller owns (the cache keeps their bytes and disposes them).
    /// </summary>
    Task<IReadOnlyList<X509Certificate2>> SignX509SvidAsync(
        RegistrationEntry entry,
        byte[] csrDer,
        CancellationToken cancellationToken);

    /// <summary>Mints a JWT-SVID for <paramref name="entry"/> and <paramref name="audience"/> (compact JWS).</summary>
    Task<string> MintJwtSvidAsync(
        RegistrationEntry entry,
        IReadOnlyList<string> audience,
        CancellationToken cancellationToken);
}
