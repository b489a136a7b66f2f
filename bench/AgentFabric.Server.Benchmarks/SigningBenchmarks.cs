using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Server.Attestation;
using AgentFabric.Server.Ca;
using AgentFabric.Server.Config;
using AgentFabric.Server.Datastore;
using AgentFabric.Server.KeyManagement;
using AgentFabric.Server.Registration;
using AgentFabric.Spiffe;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentFabric.Server.Benchmarks;

/// <summary>
/// X.509-SVID signing as the Agent API does it (CSR in: parse and signature check; entry lookup and authorization
/// walk in a 10,000-entry cache; certificate built and signed by the CA; SVID out) against a bare
/// <see cref="ECDsa.SignData(byte[], HashAlgorithmName)"/> with a P-256 key in the same run (also the raw ES256
/// baseline for JWT-SVID minting). Goal: ≥ 50 % of the raw rate for both.
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks
{
    private readonly byte[] _data = RandomNumberGenerator.GetBytes(256);
    private ECDsa _raw = null!;
    private ECDsa _workloadKey = null!;
    private byte[] _csr = null!;
    private byte[] _publicKey = null!;
    private X509Ca _ca = null!;
    private AgentAuthority _authority = null!;
    private SqlDataStore _store = null!;
    private MemoryKeyManager _keys = null!;
    private string _dir = null!;
    private SpiffeId _node;
    private string _entryId = null!;
    private readonly string[] _audience = ["registry"];

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("afs-bench").FullName;
        _raw = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _workloadKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _csr = new CertificateRequest("CN=w", _workloadKey, HashAlgorithmName.SHA256).CreateSigningRequest();
        _publicKey = _workloadKey.ExportSubjectPublicKeyInfo();
        var td = TrustDomain.Parse("bench.example");
        _keys = new MemoryKeyManager();
        _ca = new X509Ca(td, new CaSubject([], ["Bench"], "Bench CA"), TimeSpan.FromHours(24), _keys, new CaJournal(Path.Combine(_dir, "j.json")), null, TimeProvider.System);
        _ca.Initialize();
        _store = SqlDataStore.OpenAsync(DatastoreKind.Sqlite, Path.Combine(_dir, "db.sqlite3"), TimeProvider.System).GetAwaiter().GetResult();
        var cache = new EntryCache();
        _node = SpiffeId.Parse("spiffe://bench.example/spire/agent/join_token/node-0");
        var entries = EntryScale.Tree(10_000, nodes: 100).ToList();
        cache.Load(entries, entries.Count);
        _entryId = entries.Last(e => e.ParentId.ToString().StartsWith("spiffe://bench.example/agent-0/", StringComparison.Ordinal)).EntryId;
        var registration = new RegistrationService(td, _store, cache, TimeProvider.System);
        var jwt = new JwtAuthority(_keys, Path.Combine(_dir, "jwt.json"), TimeSpan.FromHours(24), TimeProvider.System);
        jwt.Initialize();
        _authority = new AgentAuthority(_store, _ca, registration, [], TimeSpan.FromHours(1), TimeSpan.FromHours(1), null, NullLogger.Instance, TimeProvider.System,
            new JwtSvidMinter(jwt, "spiffe://bench.example", TimeProvider.System), TimeSpan.FromMinutes(5));
        if (_authority.SignWorkloadSvid(_node, _entryId, _csr).Id.IsZero)
        {
            throw new InvalidOperationException("setup: signing failed");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _keys.Dispose();
        _raw.Dispose();
        _workloadKey.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "ECDsa.SignData P-256 (raw)")]
    public byte[] RawSign() => _raw.SignData(_data, HashAlgorithmName.SHA256);

    [Benchmark(Description = "SVID: CSR in, entry lookup, SVID out")]
    public IssuedX509Svid SignFromCsr() => _authority.SignWorkloadSvid(_node, _entryId, _csr);

    [Benchmark(Description = "SVID from a public key (no CSR check, no lookup)")]
    public IssuedX509Svid SignFromPublicKey() => _ca.Sign(_publicKey, SpiffeId.Parse("spiffe://bench.example/w"), [], TimeSpan.FromHours(1));

    [Benchmark(Description = "JWT-SVID: entry lookup, ES256 token out")]
    public string MintJwt() => _authority.MintJwtSvid(_node, _entryId, _audience).Token;

    [Benchmark(Description = "CSR parse + signature check only")]
    public byte[] ReadCsr() => CsrReader.ReadPublicKey(_csr);
}
