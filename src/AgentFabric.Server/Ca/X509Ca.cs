using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Server.Config;
using AgentFabric.Server.KeyManagement;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Ca;

/// <summary>
/// The X.509 certificate authority of one trust domain. Holds one active CA, at most one prepared successor and the
/// old ones still in their lifetime. Rotation: at half of the active CA's life the next CA is prepared and published
/// in the bundle; at five sixths it becomes active (SPIRE's schedule), so every peer has the new root in its bundle
/// long before the first SVID it signs appears.
/// </summary>
public sealed partial class X509Ca
{
    private readonly TrustDomain _trustDomain;
    private readonly CaSubject _subject;
    private readonly TimeSpan _caTtl;
    private readonly IKeyManager _keys;
    private readonly CaJournal _journal;
    private readonly UpstreamAuthority? _upstream;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private volatile State _state = new([], null);

    public X509Ca(
        TrustDomain trustDomain,
        CaSubject subject,
        TimeSpan caTtl,
        IKeyManager keys,
        CaJournal journal,
        UpstreamAuthority? upstream,
        TimeProvider time)
    {
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("ca: trust domain is required", nameof(trustDomain));
        }

        _trustDomain = trustDomain;
        _subject = subject;
        _caTtl = caTtl;
        _keys = keys;
        _journal = journal;
        _upstream = upstream;
        _time = time;
    }

    /// <summary>Raised after the set of published authorities changed (prepared, activated, expired).</summary>
    public event EventHandler? BundleChanged;

    public TrustDomain TrustDomain => _trustDomain;

    /// <summary>The CA that signs now.</summary>
    public X509Authority Active => _state.Active ?? throw new InvalidOperationException("ca: not initialized");

    /// <summary>The next CA, published but not signing yet.</summary>
    public X509Authority? Prepared => _state.Authorities.FirstOrDefault(a => a.State == AuthorityState.Prepared);

    public IReadOnlyList<X509Authority> Authorities => _state.Authorities;

    /// <summary>The trust anchors for the bundle: every unexpired CA of ours (prepared, active, old) or the upstream
    /// roots when our CA is an intermediate.</summary>
    public IReadOnlyList<X509Certificate2> BundleAuthorities =>
        _upstream is not null ? _upstream.Roots : _state.Authorities.Select(a => a.Certificate).ToArray();

    /// <summary>Loads the journal, keeps the authorities whose keys the key manager still holds and that have not
    /// expired, and creates an active CA when none is left. With <paramref name="startNew"/> the journal's
    /// authorities are dropped and a new active CA is minted (<c>server run -forceNewCA</c>).</summary>
    public void Initialize(bool startNew = false)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var kept = startNew
                ? []
                : _journal.Load().Where(a => a.NotAfter > now && _keys.GetKey(a.KeyId) is not null).ToList();
            if (!kept.Any(a => a.State == AuthorityState.Active))
            {
                // A prepared CA whose key survived can take over at once; otherwise mint a fresh one.
                var prepared = kept.FindIndex(a => a.State == AuthorityState.Prepared);
                if (prepared >= 0)
                {
                    kept[prepared] = kept[prepared] with { State = AuthorityState.Active };
                }
                else
                {
                    kept.Add(Mint(AuthorityState.Active, now));
                }
            }

            Publish(kept);
        }
    }

    /// <summary>Advances the rotation schedule and returns the steps it took ("pruned", "prepared", "activated").</summary>
    public IReadOnlyList<string> Rotate()
    {
        var steps = new List<string>();
        var now = _time.GetUtcNow();
        if (_state.Authorities.Any(a => a.NotAfter <= now && a.State == AuthorityState.Old))
        {
            lock (_lock)
            {
                Publish(_state.Authorities.Where(a => a.NotAfter > now || a.State != AuthorityState.Old).ToList());
            }

            steps.Add("pruned");
        }

        var active = Active;
        var life = active.NotAfter - active.NotBefore;
        if (Prepared is null && now >= active.NotBefore + (life / 2))
        {
            PrepareNext();
            steps.Add("prepared");
        }

        if (Prepared is not null && now >= active.NotBefore + (life * 5 / 6))
        {
            ActivatePrepared();
            steps.Add("activated");
        }

        return steps;
    }

    /// <summary>Creates the next CA and publishes it in the bundle without signing with it.</summary>
    public X509Authority PrepareNext()
    {
        lock (_lock)
        {
            var list = _state.Authorities.Where(a => a.State != AuthorityState.Prepared).ToList();
            var next = Mint(AuthorityState.Prepared, _time.GetUtcNow());
            list.Add(next);
            Publish(list);
            return next;
        }
    }

    /// <summary>Makes the prepared CA the signing one; the previous active CA stays published as old.</summary>
    public X509Authority ActivatePrepared()
    {
        lock (_lock)
        {
            var prepared = Prepared ?? throw new CaException("ca: there is no prepared CA to activate");
            var list = _state.Authorities.Select(a => a.State switch
            {
                AuthorityState.Active => a with { State = AuthorityState.Old },
                AuthorityState.Prepared => a with { State = AuthorityState.Active },
                _ => a,
            }).ToList();
            Publish(list);
            return list.First(a => a.State == AuthorityState.Active);
        }
    }

    private void Publish(List<X509Authority> authorities)
    {
        _journal.Save(authorities);
        _state = new State(authorities, authorities.FirstOrDefault(a => a.State == AuthorityState.Active));
        BundleChanged?.Invoke(this, EventArgs.Empty);
    }

    private X509Authority Mint(AuthorityState state, DateTimeOffset now)
    {
        var keyId = $"x509-ca-{now.ToUnixTimeSeconds()}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var key = _keys.GenerateKey(keyId);
        var serial = CertificateTemplates.NewSerial();
        var request = CertificateTemplates.CaTemplate(_subject, Convert.ToHexStringLower(serial), key, _trustDomain);
        var notBefore = now - CertificateTemplates.Backdate;
        var notAfter = now + _caTtl;
        X509Certificate2 certificate;
        if (_upstream is null)
        {
            using var selfSigned = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), notBefore, notAfter, serial);
            certificate = X509CertificateLoader.LoadCertificate(selfSigned.RawData);
        }
        else
        {
            var upstreamNotAfter = new DateTimeOffset(_upstream.Certificate.NotAfter.ToUniversalTime());
            if (upstreamNotAfter < notAfter)
            {
                notAfter = upstreamNotAfter;
            }

            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_upstream.Certificate, true, false));
            using var signed = request.Create(
                _upstream.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_upstream.Key), notBefore, notAfter, serial);
            certificate = X509CertificateLoader.LoadCertificate(signed.RawData);
        }

        return new X509Authority(keyId, certificate, _upstream?.Chain ?? [], state);
    }

    private sealed record State(IReadOnlyList<X509Authority> Authorities, X509Authority? Active);
}
