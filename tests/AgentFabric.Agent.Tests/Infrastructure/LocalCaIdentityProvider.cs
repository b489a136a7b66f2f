using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Agent.Identity;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.Jwt;

namespace AgentFabric.Agent.Tests.Infrastructure;

/// <summary>
/// Stands in for the identity server (not in this branch): a CA made in the test signs the agent's CSRs and mints
/// JWT-SVIDs, entries are set by the test, and <see cref="Unreachable"/> simulates an outage.
/// </summary>
internal sealed class LocalCaIdentityProvider : IWorkloadIdentityProvider, IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _jwtKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly JwtSigningKey _jwtSigner;
    private IdentitySnapshot _current;
    private X509Bundle[] _federated = [];
    private int _signed;

    public LocalCaIdentityProvider(string trustDomain = "example.org")
    {
        TrustDomain = TrustDomain.Parse(trustDomain);
        var request = new CertificateRequest("CN=agent test ca, O=" + trustDomain, _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(TrustDomain.IdString));
        request.CertificateExtensions.Add(san.Build());
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CaCertificate = X509CertificateLoader.LoadCertificate(ca.RawData);
        _jwtSigner = JwtSigningKey.Create(_jwtKey, "jwt-key-1");
        _current = Snapshot([]);
    }

    public TrustDomain TrustDomain { get; }

    public X509Certificate2 CaCertificate { get; }

    public X509Bundle Bundle => new(TrustDomain, [CaCertificate]);

    public JwtBundle JwtBundle => new(TrustDomain, [_jwtSigner.ToJwtAuthority()]);

    public int SignedCount => Volatile.Read(ref _signed);

    /// <summary>The clock X.509-SVIDs and JWT-SVIDs are issued by.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How far notBefore is put in the past (the real server: 10 s).</summary>
    public TimeSpan Backdate { get; init; }

    /// <summary>When true every signing call fails as if the server were down.</summary>
    public bool Unreachable { get; set; }

    public IdentitySnapshot Current => Volatile.Read(ref _current);

    public event EventHandler? Changed;

    public void SetEntries(params RegistrationEntry[] entries)
    {
        Volatile.Write(ref _current, Snapshot(entries));
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Replaces the federated X.509 bundles (as a bundle sync from the server would).</summary>
    public void SetFederatedBundles(params X509Bundle[] bundles)
    {
        _federated = bundles;
        Volatile.Write(ref _current, Snapshot([.. Current.Entries]));
        Changed?.Invoke(this, EventArgs.Empty);
    }

    public Task<IReadOnlyList<X509Certificate2>> SignX509SvidAsync(RegistrationEntry entry, byte[] csrDer, CancellationToken cancellationToken)
    {
        if (Unreachable)
        {
            throw new HttpRequestException("identity server unreachable");
        }

        var csr = CertificateRequest.LoadSigningRequest(csrDer, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        var request = new CertificateRequest(csr.SubjectName, csr.PublicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(CaCertificate, true, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(entry.SpiffeId.ToString())); // the server decides the identity from the entry, not the CSR
        request.CertificateExtensions.Add(san.Build(critical: true));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        var now = Time.GetUtcNow();
        using var leaf = request.Create(CaCertificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey), now - Backdate, now + X509Ttl(entry), serial);
        Interlocked.Increment(ref _signed);
        return Task.FromResult<IReadOnlyList<X509Certificate2>>([X509CertificateLoader.LoadCertificate(leaf.RawData)]);
    }

    public Task<string> MintJwtSvidAsync(RegistrationEntry entry, IReadOnlyList<string> audience, CancellationToken cancellationToken)
    {
        if (Unreachable)
        {
            throw new HttpRequestException("identity server unreachable");
        }

        var svid = JwtSvid.Mint(entry.SpiffeId, [.. audience], Time.GetUtcNow() + JwtTtl(entry), _jwtSigner, Time);
        return Task.FromResult(svid.Token);
    }

    // Entry TTLs are seconds with 0 = the server's default (SPIRE's: 1 h for X.509-SVIDs, 5 min for JWT-SVIDs).
    private static TimeSpan X509Ttl(RegistrationEntry entry) => TimeSpan.FromSeconds(entry.X509SvidTtl > 0 ? entry.X509SvidTtl : 3600);

    private static TimeSpan JwtTtl(RegistrationEntry entry) => TimeSpan.FromSeconds(entry.JwtSvidTtl > 0 ? entry.JwtSvidTtl : 300);

    public string MintForeignToken(SpiffeId subject, string audience) =>
        JwtSvid.Mint(subject, [audience], DateTimeOffset.UtcNow.AddMinutes(5), _jwtSigner, TimeProvider.System).Token;

    public void Dispose()
    {
        _caKey.Dispose();
        _jwtKey.Dispose();
    }

    private IdentitySnapshot Snapshot(RegistrationEntry[] entries) =>
        new(TrustDomain, entries, new X509BundleSet([Bundle, .. _federated]), new JwtBundleSet(JwtBundle));
}
