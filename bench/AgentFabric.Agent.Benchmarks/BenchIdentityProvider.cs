using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Agent.Identity;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Bundles.X509;

namespace AgentFabric.Agent.Benchmarks;

/// <summary>The identity server's part for the benchmark (not in this branch): a local CA signs the agent's CSRs, and
/// <see cref="SetEntries"/> publishes a new snapshot the way a sync from the server does.</summary>
internal sealed class BenchIdentityProvider : IWorkloadIdentityProvider
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;
    private readonly TrustDomain _trustDomain = TrustDomain.Parse("example.org");
    private IdentitySnapshot _current;

    public BenchIdentityProvider(params RegistrationEntry[] entries)
    {
        var request = new CertificateRequest("CN=bench ca", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        _ca = X509CertificateLoader.LoadCertificate(ca.RawData);
        _current = Snapshot(entries);
    }

    public IdentitySnapshot Current => Volatile.Read(ref _current);

    public event EventHandler? Changed;

    /// <summary>Replaces the entries and raises <see cref="Changed"/> (what a SyncEntries push does).</summary>
    public void SetEntries(params RegistrationEntry[] entries)
    {
        Volatile.Write(ref _current, Snapshot(entries));
        Changed?.Invoke(this, EventArgs.Empty);
    }

    public Task<IReadOnlyList<X509Certificate2>> SignX509SvidAsync(RegistrationEntry entry, byte[] csrDer, CancellationToken cancellationToken)
    {
        var csr = CertificateRequest.LoadSigningRequest(csrDer, HashAlgorithmName.SHA256);
        var request = new CertificateRequest(csr.SubjectName, csr.PublicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(entry.SpiffeId.ToString()));
        request.CertificateExtensions.Add(san.Build(true));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        using var leaf = request.Create(_ca.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey), now, now + TimeSpan.FromSeconds(entry.X509SvidTtl > 0 ? entry.X509SvidTtl : 3600), serial);
        return Task.FromResult<IReadOnlyList<X509Certificate2>>([X509CertificateLoader.LoadCertificate(leaf.RawData)]);
    }

    public Task<string> MintJwtSvidAsync(RegistrationEntry entry, IReadOnlyList<string> audience, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the benchmark fetches X.509 only");

    private IdentitySnapshot Snapshot(RegistrationEntry[] entries) =>
        new(_trustDomain, entries, new X509BundleSet(new X509Bundle(_trustDomain, [_ca])), new JwtBundleSet(new JwtBundle(_trustDomain)));
}
