using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Ca;

public sealed partial class X509Ca
{
    /// <summary>Signs an X.509-SVID for <paramref name="id"/> over the CSR's public key (CSR signature checked).</summary>
    public IssuedX509Svid SignCsr(ReadOnlySpan<byte> csrDer, SpiffeId id, IReadOnlyList<string> dnsNames, TimeSpan ttl) =>
        Sign(CsrReader.ReadPublicKey(csrDer), id, dnsNames, ttl);

    /// <summary>Signs an X.509-SVID for <paramref name="id"/> over <paramref name="publicKey"/> with the active CA.
    /// The SVID never outlives the CA that signs it.</summary>
    public IssuedX509Svid Sign(PublicKey publicKey, SpiffeId id, IReadOnlyList<string> dnsNames, TimeSpan ttl)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (!id.IsMemberOf(_trustDomain))
        {
            throw new CaException($"ca: SPIFFE ID \"{id}\" is not in trust domain \"{_trustDomain}\"");
        }

        if (ttl <= TimeSpan.Zero)
        {
            throw new CaException("ca: TTL must be positive");
        }

        var active = Active;
        var key = _keys.GetKey(active.KeyId) ?? throw new CaException($"ca: key \"{active.KeyId}\" of the active CA is missing");
        var now = _time.GetUtcNow();
        var notAfter = now + ttl;
        if (notAfter > active.NotAfter)
        {
            notAfter = active.NotAfter;
        }

        var request = CertificateTemplates.Leaf(publicKey, id, dnsNames, active.Certificate);
        // Create returns a public-only certificate already; loading it again would double the cost (OpenSSL 3
        // certificate parsing costs more than the ECDSA signature itself).
        var leaf = request.Create(
            active.Certificate.SubjectName,
            X509SignatureGenerator.CreateForECDsa(key),
            now - CertificateTemplates.Backdate,
            notAfter,
            CertificateTemplates.NewSerial());

        // Self-signed: the root is in the bundle, the chain is the leaf. Under an upstream CA the chain carries our
        // intermediate and the upstream intermediates up to (not including) the root.
        var chain = _upstream is null ? [leaf] : new[] { leaf, active.Certificate }.Concat(active.UpstreamChain).ToArray();
        return new IssuedX509Svid(id, chain);
    }
}

/// <summary>A freshly signed X.509-SVID: the leaf first, then the intermediates a peer needs.</summary>
public sealed record IssuedX509Svid(SpiffeId Id, IReadOnlyList<X509Certificate2> Chain)
{
    public X509Certificate2 Leaf => Chain[0];

    public string SerialNumber => Leaf.SerialNumber;

    public DateTimeOffset NotAfter => new(Leaf.NotAfter.ToUniversalTime());
}
