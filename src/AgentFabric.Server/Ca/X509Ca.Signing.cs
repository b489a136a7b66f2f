using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Ca;

public sealed partial class X509Ca
{
    // One writer per active CA certificate (it caches the authority key identifier).
    private readonly ConditionalWeakTable<X509Authority, LeafCertificateWriter> _writers = [];

    /// <summary>Signs an X.509-SVID for <paramref name="id"/> over the CSR's public key (CSR signature checked).</summary>
    public IssuedX509Svid SignCsr(ReadOnlySpan<byte> csrDer, SpiffeId id, IReadOnlyList<string> dnsNames, TimeSpan ttl) =>
        Sign(CsrReader.ReadPublicKey(csrDer), id, dnsNames, ttl);

    /// <summary>Signs an X.509-SVID for <paramref name="id"/> over <paramref name="subjectPublicKeyInfo"/> (DER)
    /// with the active CA. The SVID never outlives the CA that signs it.</summary>
    public IssuedX509Svid Sign(byte[] subjectPublicKeyInfo, SpiffeId id, IReadOnlyList<string> dnsNames, TimeSpan ttl)
    {
        ArgumentNullException.ThrowIfNull(subjectPublicKeyInfo);
        if (!id.IsMemberOf(_trustDomain))
        {
            throw new CaException($"ca: SPIFFE ID \"{id}\" is not in trust domain \"{_trustDomain}\"");
        }

        if (ttl <= TimeSpan.Zero)
        {
            throw new CaException("ca: TTL must be positive");
        }

        var active = Active;
        var writer = _writers.GetValue(active, a => new LeafCertificateWriter(
            a.Certificate, _keys.GetKey(a.KeyId) ?? throw new CaException($"ca: key \"{a.KeyId}\" of the active CA is missing")));

        // Certificate times have second precision: truncate so the stored expiry equals the certificate's.
        var now = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds());
        var notAfter = now + ttl;
        if (notAfter > active.NotAfter)
        {
            notAfter = active.NotAfter;
        }

        var serial = CertificateTemplates.NewSerial();
        var leaf = writer.Write(subjectPublicKeyInfo, id, dnsNames, now - CertificateTemplates.Backdate, notAfter, serial);

        // Self-signed: the root is in the bundle, the chain is the leaf. Under an upstream CA the chain carries our
        // intermediate and the upstream intermediates up to (not including) the root.
        IReadOnlyList<byte[]> chain = _upstream is null
            ? [leaf]
            : new[] { leaf, active.Certificate.RawData }.Concat(active.UpstreamChain.Select(c => c.RawData)).ToArray();
        return new IssuedX509Svid(id, chain, notAfter, Convert.ToHexString(serial));
    }
}

/// <summary>A freshly signed X.509-SVID: DER certificates, the leaf first, then the intermediates a peer needs.</summary>
public sealed class IssuedX509Svid(SpiffeId id, IReadOnlyList<byte[]> chainDer, DateTimeOffset notAfter, string serialNumber)
{
    private IReadOnlyList<X509Certificate2>? _chain;

    public SpiffeId Id { get; } = id;

    public IReadOnlyList<byte[]> ChainDer { get; } = chainDer;

    public DateTimeOffset NotAfter { get; } = notAfter;

    /// <summary>Upper-case hex, as <see cref="X509Certificate.SerialNumber"/> prints it.</summary>
    public string SerialNumber { get; } = serialNumber;

    /// <summary>The chain as certificate objects (parsed on first use).</summary>
    public IReadOnlyList<X509Certificate2> Chain => _chain ??= ChainDer.Select(d => X509CertificateLoader.LoadCertificate(d)).ToArray();

    public X509Certificate2 Leaf => Chain[0];
}
