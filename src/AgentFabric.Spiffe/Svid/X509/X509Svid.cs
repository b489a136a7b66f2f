using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Spiffe.Svid.X509;

/// <summary>
/// An X.509-SVID (X509-SVID.md): a SPIFFE ID, the certificate chain that carries it (leaf first, then the intermediates
/// a peer needs to reach the trust domain's authorities) and the leaf's private key. Every instance has passed the
/// rules of X509-SVID §2-§4 and its key matches the leaf. Immutable; rotation replaces the whole instance.
/// </summary>
public sealed partial class X509Svid : IX509SvidSource
{
    private readonly X509Certificate2[] _certificates;
    private readonly IReadOnlyList<X509Certificate2> _readOnlyCertificates;

    private X509Svid(SpiffeId id, X509Certificate2[] certificates, AsymmetricAlgorithm privateKey, string? hint)
    {
        Id = id;
        _certificates = certificates;
        _readOnlyCertificates = Array.AsReadOnly(certificates);
        PrivateKey = privateKey;
        Hint = hint;
    }

    /// <summary>The SPIFFE ID of the leaf's URI SAN.</summary>
    public SpiffeId Id { get; }

    /// <summary>The chain, leaf first; the leaf carries the private key.</summary>
    public IReadOnlyList<X509Certificate2> Certificates => _readOnlyCertificates;

    /// <summary>The leaf certificate, with its private key attached.</summary>
    public X509Certificate2 Leaf => _certificates[0];

    /// <summary>The certificates after the leaf (intermediates), as sent to a peer.</summary>
    public IReadOnlyList<X509Certificate2> Intermediates => Array.AsReadOnly(_certificates[1..]);

    /// <summary>The leaf's private key: <see cref="ECDsa"/> or <see cref="RSA"/>.</summary>
    public AsymmetricAlgorithm PrivateKey { get; }

    /// <summary>An operator-chosen hint that tells SVIDs of the same workload apart (Workload API), or null.</summary>
    public string? Hint { get; }

    /// <summary>When the leaf expires.</summary>
    public DateTimeOffset NotAfter => new(Leaf.NotAfter.ToUniversalTime());

    /// <summary>
    /// Builds an SVID from a chain (leaf first) and the leaf's key; when <paramref name="privateKey"/> is null the leaf
    /// must carry its private key.
    /// </summary>
    /// <exception cref="X509SvidException">The chain or key breaks a rule of X509-SVID.md.</exception>
    public static X509Svid Create(
        IEnumerable<X509Certificate2> certificates,
        AsymmetricAlgorithm? privateKey = null,
        string? hint = null) =>
        TryCreate(certificates, privateKey, hint, out var svid, out var error) ? svid : throw new X509SvidException(error);

    /// <summary>Builds like <see cref="Create"/>; on failure <paramref name="error"/> names the broken rule.</summary>
    public static bool TryCreate(
        IEnumerable<X509Certificate2> certificates,
        AsymmetricAlgorithm? privateKey,
        string? hint,
        [NotNullWhen(true)] out X509Svid? svid,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        svid = null;
        var chain = certificates.ToArray();
        if (chain.Length == 0)
        {
            error = "x509svid: no certificates found";
            return false;
        }

        var leaf = chain[0];
        error = X509SvidRules.ValidateLeaf(leaf, out var id);
        if (error is not null)
        {
            return false;
        }

        // X509-SVID §3.2: every certificate after the leaf is a signing certificate.
        for (int i = 1; i < chain.Length; i++)
        {
            error = X509SvidRules.ValidateSigningCertificate(chain[i]);
            if (error is not null)
            {
                return false;
            }
        }

        var key = privateKey ?? X509SvidPrivateKey.FromCertificate(leaf);
        if (key is null)
        {
            error = "x509svid: no private key for the leaf certificate";
            return false;
        }

        error = X509SvidPrivateKey.TryAttach(leaf, key, out var leafWithKey);
        if (error is not null)
        {
            return false;
        }

        // Intermediates are kept without private keys: they are sent to peers, never used to sign here.
        chain[0] = leafWithKey;
        for (int i = 1; i < chain.Length; i++)
        {
            if (chain[i].HasPrivateKey)
            {
                chain[i] = X509CertificateLoader.LoadCertificate(chain[i].RawData);
            }
        }

        svid = new X509Svid(id, chain, key, hint);
        return true;
    }

    /// <summary>The SPIFFE ID in a certificate's single URI SAN (X509-SVID §2), without the leaf checks.</summary>
    /// <exception cref="X509SvidException">No URI SAN, more than one, or not a SPIFFE ID.</exception>
    public static SpiffeId IdFromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string? error = X509SvidRules.TryGetId(certificate, out var id, out _);
        return error is null ? id : throw new X509SvidException(error);
    }

    /// <summary>A static SVID is its own source.</summary>
    public X509Svid GetX509Svid() => this;

    /// <summary>The same SVID with another hint.</summary>
    public X509Svid WithHint(string? hint) => new(Id, _certificates, PrivateKey, hint);
}
