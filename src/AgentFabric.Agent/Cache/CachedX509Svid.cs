using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.Agent.Cache;

/// <summary>
/// A workload's X.509-SVID as the agent keeps it: only the encoded chain and key the Workload API sends (Workload API §5.2.1:
/// concatenated DER certificates, DER PKCS#8 key) and the few facts rotation needs. No certificate or key object
/// stays alive: those cost ~14-22 KB of native (OpenSSL) memory per SVID, these bytes well under 1 KB. The SVID was
/// checked against X509-SVID.md when it was issued (<see cref="X509Svid.Create"/>); a workload that wants the objects
/// reads the bytes back with <see cref="X509Svid.ParseRaw"/>. Immutable: rotation replaces the instance, which is how
/// shared responses notice it (by reference).
/// </summary>
public sealed class CachedX509Svid
{
    private readonly byte[] _certificates;
    private readonly byte[] _privateKey;
    private readonly DateTime _notBefore;
    private readonly DateTime _notAfter;

    /// <param name="id">The SPIFFE ID of the leaf.</param>
    /// <param name="certificates">The chain as concatenated DER, leaf first; the instance takes the array.</param>
    /// <param name="privateKey">The leaf's key as DER PKCS#8; the instance takes the array.</param>
    /// <param name="notBefore">The leaf's notBefore.</param>
    /// <param name="notAfter">The leaf's notAfter.</param>
    internal CachedX509Svid(SpiffeId id, byte[] certificates, byte[] privateKey, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        Id = id;
        _certificates = certificates;
        _privateKey = privateKey;
        // UTC DateTimes, not DateTimeOffsets: 8 bytes each instead of 16, for every cached SVID.
        _notBefore = notBefore.UtcDateTime;
        _notAfter = notAfter.UtcDateTime;
    }

    /// <summary>The SPIFFE ID of the leaf's URI SAN.</summary>
    public SpiffeId Id { get; }

    /// <summary>The chain as concatenated DER certificates, leaf first (the Workload API's <c>x509_svid</c>).</summary>
    public ReadOnlyMemory<byte> Certificates => _certificates;

    /// <summary>The leaf's private key as DER PKCS#8 (the Workload API's <c>x509_svid_key</c>).</summary>
    public ReadOnlyMemory<byte> PrivateKey => _privateKey;

    /// <summary>The leaf's notBefore (backdated by the server, so not when it was issued).</summary>
    public DateTimeOffset NotBefore => new(_notBefore);

    /// <summary>When the leaf expires.</summary>
    public DateTimeOffset NotAfter => new(_notAfter);
}
