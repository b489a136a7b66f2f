using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Agent.Identity;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.Agent.Cache;

/// <summary>
/// The workloads' X.509-SVIDs: the agent generates each key pair itself (the key never leaves the agent), has the
/// identity provider sign a CSR, keeps the SVID as bytes (<see cref="CachedX509Svid"/>: no certificate or key object
/// outlives the issue), and re-issues it before half of its real lifetime has passed
/// (<see cref="X509RotationSchedule"/>). SVIDs of
/// entries no open stream subscribes to are evicted least-recently-used first beyond the configured size.
/// </summary>
public sealed partial class WorkloadSvidCache
{
    private readonly IWorkloadIdentityProvider _provider;
    private readonly WorkloadSvidCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _issueGate = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CachedX509> _x509 = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _subscribers = new(StringComparer.Ordinal);

    public WorkloadSvidCache(IWorkloadIdentityProvider provider, WorkloadSvidCacheOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RotationLead, TimeSpan.Zero);
        _provider = provider;
        _options = options;
        _time = time;
    }

    /// <summary>Fires when an SVID was rotated (streams re-send).</summary>
    internal ChangeSignal Changes { get; } = new();

    /// <summary>How many X.509-SVIDs are cached.</summary>
    public int X509Count
    {
        get
        {
            lock (_gate)
            {
                return _x509.Count;
            }
        }
    }

    /// <summary>How many X.509-SVIDs were issued (first issue and rotations).</summary>
    public long X509Issued => Interlocked.Read(ref _issued);

    private long _issued;

    private int _streams;

    /// <summary>How many Workload API streams are open (subscriptions not yet disposed).</summary>
    public int OpenStreams => Volatile.Read(ref _streams);

    /// <summary>The cached SVID of <paramref name="entry"/>, issued now if absent, stale for the entry, or due for
    /// rotation.</summary>
    public async Task<CachedX509Svid> GetX509SvidAsync(RegistrationEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (TryGetFresh(entry, out var svid))
        {
            return svid;
        }

        await _issueGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (TryGetFresh(entry, out svid))
            {
                return svid;
            }

            DateTimeOffset requestedAt = _time.GetUtcNow();
            try
            {
                svid = await IssueAsync(entry, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (TryGetUnexpired(entry, out var cached))
            {
                // Server unreachable: an SVID past its half life is still valid; nothing a workload holds is revoked
                // by an outage. The rotation loop keeps retrying.
                return cached;
            }

            Store(entry, svid, requestedAt);
            return svid;
        }
        finally
        {
            _issueGate.Release();
        }
    }

    /// <summary>Marks entries as in use by an open stream until the returned handle is disposed.</summary>
    public IDisposable Subscribe(IReadOnlyCollection<string> entryIds)
    {
        ArgumentNullException.ThrowIfNull(entryIds);
        Interlocked.Increment(ref _streams);
        lock (_gate)
        {
            foreach (var id in entryIds)
            {
                _subscribers[id] = _subscribers.GetValueOrDefault(id) + 1;
            }
        }

        return new Subscription(this, [.. entryIds]);
    }

    /// <summary>
    /// Re-issues every cached SVID due for rotation (<see cref="X509RotationSchedule"/>), drops SVIDs of entries the provider no longer lists, and
    /// refreshes recently used JWT-SVIDs; fires <see cref="Changes"/> when anything changed. A provider failure
    /// leaves the current SVIDs in place (they stay valid until they expire) and is retried on the next call.
    /// </summary>
    public async Task<int> RotateDueAsync(CancellationToken cancellationToken)
    {
        var entries = _provider.Current.Entries.ToDictionary(e => e.EntryId, StringComparer.Ordinal);
        List<CachedX509> due;
        bool removed = false;
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            foreach (var id in _x509.Keys.Where(id => !entries.ContainsKey(id)).ToList())
            {
                _x509.Remove(id);
                removed = true;
            }

            due = [.. _x509.Values.Where(c => now >= c.RotateAt || !SameIdentity(c.Entry, entries[c.Entry.EntryId]))];
        }

        int rotated = 0;
        List<Exception>? failures = null;
        foreach (var cached in due)
        {
            var entry = entries[cached.Entry.EntryId];
            await _issueGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                DateTimeOffset requestedAt = _time.GetUtcNow();
                Store(entry, await IssueAsync(entry, cancellationToken).ConfigureAwait(false), requestedAt);
                rotated++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                (failures ??= []).Add(ex);
            }
            finally
            {
                _issueGate.Release();
            }
        }

        // JWT-SVIDs travel in no stream: refreshing them changes nothing a stream shows.
        await RefreshJwtSvidsAsync(entries, cancellationToken).ConfigureAwait(false);
        if (rotated > 0 || removed)
        {
            Changes.Notify();
        }

        return failures is null ? rotated : throw new AggregateException("agent: some SVIDs could not be rotated", failures);
    }

    private bool TryGetFresh(RegistrationEntry entry, out CachedX509Svid svid)
    {
        lock (_gate)
        {
            if (_x509.TryGetValue(entry.EntryId, out var cached) && SameIdentity(cached.Entry, entry) &&
                _time.GetUtcNow() < cached.RotateAt)
            {
                cached.LastUsed = _time.GetUtcNow();
                svid = cached.Svid;
                return true;
            }
        }

        svid = null!;
        return false;
    }

    private bool TryGetUnexpired(RegistrationEntry entry, out CachedX509Svid svid)
    {
        lock (_gate)
        {
            if (_x509.TryGetValue(entry.EntryId, out var cached) && SameIdentity(cached.Entry, entry) &&
                _time.GetUtcNow() < cached.Svid.NotAfter)
            {
                cached.LastUsed = _time.GetUtcNow();
                svid = cached.Svid;
                return true;
            }
        }

        svid = null!;
        return false;
    }

    private static bool SameIdentity(RegistrationEntry a, RegistrationEntry b) =>
        a.SpiffeId == b.SpiffeId && a.X509SvidTtl == b.X509SvidTtl && a.Hint == b.Hint;

    private async Task<CachedX509Svid> IssueAsync(RegistrationEntry entry, CancellationToken cancellationToken)
    {
        // The private key is made here and only the CSR goes to the server (DESIGN: keys never leave their process).
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + entry.SpiffeId.Path.TrimStart('/'), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(entry.SpiffeId.ToString()));
        request.CertificateExtensions.Add(san.Build(critical: false));
        var chain = await _provider.SignX509SvidAsync(entry, request.CreateSigningRequest(), cancellationToken)
            .ConfigureAwait(false);
        try
        {
            var svid = Encode(entry, chain, key);
            Interlocked.Increment(ref _issued);
            return svid;
        }
        finally
        {
            // The cache keeps bytes only: every certificate handle made for the issue is released now rather than
            // whenever a finalizer runs.
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>Checks the signed chain as an X.509-SVID of <paramref name="entry"/> with <paramref name="key"/>, then
    /// keeps its encoding; the temporary <see cref="X509Svid"/> and its certificates are disposed.</summary>
    private static CachedX509Svid Encode(RegistrationEntry entry, IReadOnlyList<X509Certificate2> chain, ECDsa key)
    {
        var svid = X509Svid.Create(chain, key, entry.Hint.Length > 0 ? entry.Hint : null);
        try
        {
            if (svid.Id != entry.SpiffeId)
            {
                throw new X509SvidException($"agent: the server signed {svid.Id} for entry {entry.EntryId} of {entry.SpiffeId}");
            }

            var (certificates, privateKey) = svid.MarshalRaw();
            return new CachedX509Svid(
                entry.SpiffeId,
                certificates,
                privateKey,
                new DateTimeOffset(svid.Leaf.NotBefore.ToUniversalTime()),
                svid.NotAfter);
        }
        finally
        {
            // The leaf copy carrying the key (and any intermediate reloaded without one) belongs to the SVID; the key
            // itself is the caller's.
            foreach (var certificate in svid.Certificates)
            {
                certificate.Dispose();
            }
        }
    }

    private void Store(RegistrationEntry entry, CachedX509Svid svid, DateTimeOffset requestedAt)
    {
        var rotateAt = X509RotationSchedule.RotateAt(requestedAt, svid.NotBefore, svid.NotAfter, _options.RotationLead);
        lock (_gate)
        {
            _x509[entry.EntryId] = new CachedX509(entry, svid, rotateAt) { LastUsed = _time.GetUtcNow() };
            EvictUnsubscribed();
        }
    }

    private void EvictUnsubscribed()
    {
        int excess = _x509.Count - _options.X509SvidCacheMaxSize;
        if (excess <= 0)
        {
            return;
        }

        foreach (var victim in _x509.Values
                     .Where(c => _subscribers.GetValueOrDefault(c.Entry.EntryId) == 0)
                     .OrderBy(c => c.LastUsed)
                     .Take(excess)
                     .ToList())
        {
            _x509.Remove(victim.Entry.EntryId);
        }
    }

    private void Unsubscribe(string[] entryIds)
    {
        lock (_gate)
        {
            foreach (var id in entryIds)
            {
                int count = _subscribers.GetValueOrDefault(id) - 1;
                if (count <= 0)
                {
                    _subscribers.Remove(id);
                }
                else
                {
                    _subscribers[id] = count;
                }
            }

            EvictUnsubscribed();
        }
    }

    private sealed class CachedX509(RegistrationEntry entry, CachedX509Svid svid, DateTimeOffset rotateAt)
    {
        public RegistrationEntry Entry { get; } = entry;

        public CachedX509Svid Svid { get; } = svid;

        public DateTimeOffset RotateAt { get; } = rotateAt;

        public DateTimeOffset LastUsed { get; set; }
    }

    private sealed class Subscription(WorkloadSvidCache cache, string[] entryIds) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref cache._streams);
                cache.Unsubscribe(entryIds);
            }
        }
    }
}
