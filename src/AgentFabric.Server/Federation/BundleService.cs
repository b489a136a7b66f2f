using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentFabric.Server.Ca;
using AgentFabric.Server.Datastore;
using AgentFabric.Server.Registration;
using AgentFabric.Server.Telemetry;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles;
using JwtAuthority = AgentFabric.Spiffe.Bundles.Jwt.JwtAuthority;

namespace AgentFabric.Server.Federation;

/// <summary>
/// Trust bundles in the datastore: ours (republished whenever the CA's authorities change) and those of federated
/// trust domains (set by an admin or refreshed from their bundle endpoints).
/// </summary>
public sealed class BundleService
{
    private readonly IDataStore _store;
    private readonly X509Ca _ca;
    private readonly TimeSpan _refreshHint;
    private readonly ServerMetrics? _metrics;
    private readonly Func<IReadOnlyList<JwtAuthority>> _jwtAuthorities;
    private long _version;
    private CachedSet? _set;

    public BundleService(IDataStore store, X509Ca ca, TimeSpan refreshHint, ServerMetrics? metrics, Func<IReadOnlyList<JwtAuthority>>? jwtAuthorities = null)
    {
        _store = store;
        _ca = ca;
        _refreshHint = refreshHint;
        _metrics = metrics;
        _jwtAuthorities = jwtAuthorities ?? (() => []);
    }

    public TrustDomain TrustDomain => _ca.TrustDomain;

    /// <summary>Signalled after any bundle changed.</summary>
    public ChangeSignal Changed { get; } = new();

    /// <summary>
    /// Ours and every federated bundle, read from the datastore once per change and shared: after a change every
    /// agent's sync stream asks at once, and they all get the one read. Writes made through another server sharing
    /// the datastore are not seen until this server changes a bundle (agents' slow GetBundles poll catches those).
    /// </summary>
    public Task<BundleSet> GetSetAsync(CancellationToken cancellationToken = default)
    {
        var version = Interlocked.Read(ref _version);
        var cached = Volatile.Read(ref _set);
        if (cached is not null && cached.Version == version && !cached.Read.IsFaulted && !cached.Read.IsCanceled)
        {
            return cached.Read.WaitAsync(cancellationToken);
        }

        // Not tied to one caller's token: the read is shared (a cancelled caller must not fail the others).
        var read = ReadSetAsync(CancellationToken.None);
        Volatile.Write(ref _set, new CachedSet(version, read));
        return read.WaitAsync(cancellationToken);
    }

    private async Task<BundleSet> ReadSetAsync(CancellationToken cancellationToken) =>
        new(await GetOwnAsync(cancellationToken).ConfigureAwait(false), await ListFederatedAsync(null, cancellationToken).ConfigureAwait(false));

    private void OnChanged()
    {
        // Bumped after the write and before the signal: a stream woken by the signal never gets the older set.
        Interlocked.Increment(ref _version);
        Changed.Notify();
    }

    public async Task<StoredBundle> PublishOwnAsync(CancellationToken cancellationToken = default)
    {
        var pem = Encoding.ASCII.GetString(CertificatePem(_ca.BundleAuthorities));
        var existing = await _store.GetBundleAsync(TrustDomain.Name, cancellationToken).ConfigureAwait(false);
        var jwt = _jwtAuthorities();

        // Compared as keys, not as text, so a JWK written in another member order is no change (no sequence bump).
        if (existing is not null && existing.X509AuthoritiesPem == pem &&
            StoredBundleFormat.TryParseJwtAuthorities(TrustDomain, existing.JwtAuthoritiesJson, out var published, out _) &&
            published.SequenceEqual(jwt))
        {
            return existing;
        }

        var stored = await _store.SetBundleAsync(
            TrustDomain.Name, pem, StoredBundleFormat.JwtAuthoritiesJson(TrustDomain, jwt), (long)_refreshHint.TotalSeconds, cancellationToken).ConfigureAwait(false);
        _metrics?.BundleUpdated("own");
        OnChanged();
        return stored;
    }

    public async Task<StoredBundle> GetOwnAsync(CancellationToken cancellationToken = default) =>
        await _store.GetBundleAsync(TrustDomain.Name, cancellationToken).ConfigureAwait(false)
        ?? await PublishOwnAsync(cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<StoredBundle>> ListFederatedAsync(string? trustDomain, CancellationToken cancellationToken = default)
    {
        var all = await _store.ListBundlesAsync(cancellationToken).ConfigureAwait(false);
        var name = trustDomain is null ? null : ParseTrustDomain(trustDomain).Name;
        return all.Where(b => b.TrustDomain != TrustDomain.Name && (name is null || b.TrustDomain == name)).ToList();
    }

    /// <summary>Creates or replaces a federated trust domain's bundle (never ours). Its sequence number is the
    /// datastore's; the refresh hint is kept.</summary>
    public async Task<StoredBundle> SetFederatedAsync(SpiffeBundle bundle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var td = bundle.TrustDomain;
        var authorities = bundle.X509Authorities;
        if (td == TrustDomain)
        {
            throw new RegistrationException(RegistrationError.InvalidArgument, $"bundle: \"{td}\" is the server's own trust domain; its bundle cannot be set");
        }

        if (authorities.Count == 0)
        {
            throw new RegistrationException(RegistrationError.InvalidArgument, $"bundle: the bundle for \"{td}\" holds no X.509 authority");
        }

        var stored = await _store.SetBundleAsync(
            td.Name,
            Encoding.ASCII.GetString(CertificatePem(authorities)),
            StoredBundleFormat.JwtAuthoritiesJson(td, bundle.JwtAuthorities),
            StoredBundleFormat.RefreshHintSeconds(bundle),
            cancellationToken).ConfigureAwait(false);
        _metrics?.BundleUpdated("federated");
        OnChanged();
        return stored;
    }

    public async Task DeleteFederatedAsync(string trustDomain, CancellationToken cancellationToken = default)
    {
        var td = ParseTrustDomain(trustDomain);
        if (td == TrustDomain)
        {
            throw new RegistrationException(RegistrationError.InvalidArgument, $"bundle: \"{td}\" is the server's own trust domain; its bundle cannot be deleted");
        }

        bool deleted;
        try
        {
            deleted = await _store.DeleteBundleAsync(td.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (DatastoreException e) when (e.Error == DatastoreError.FailedPrecondition)
        {
            throw new RegistrationException(RegistrationError.FailedPrecondition, "bundle: " + e.Message["datastore: ".Length..], e);
        }

        if (!deleted)
        {
            throw new RegistrationException(RegistrationError.NotFound, $"bundle: no bundle for trust domain \"{td}\"");
        }

        OnChanged();
    }

    private sealed record CachedSet(long Version, Task<BundleSet> Read);

    /// <summary>Accepts "example.org" or "spiffe://example.org" (SPIRE's CLI takes the latter).</summary>
    public static TrustDomain ParseTrustDomain(string text)
    {
        var name = text.StartsWith("spiffe://", StringComparison.Ordinal) ? text["spiffe://".Length..] : text;
        return TrustDomain.TryParse(name, out var td, out var error)
            ? td
            : throw new RegistrationException(RegistrationError.InvalidArgument, $"bundle: \"{text}\" is not a trust domain: {error}");
    }

    public static byte[] CertificatePem(IEnumerable<X509Certificate2> certificates)
    {
        var text = new StringBuilder();
        foreach (var c in certificates)
        {
            text.Append(c.ExportCertificatePem()).Append('\n');
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    public static IReadOnlyList<X509Certificate2> ParsePem(string pem)
    {
        var certs = new X509Certificate2Collection();
        if (!string.IsNullOrWhiteSpace(pem))
        {
            try
            {
                certs.ImportFromPem(pem);
            }
            catch (CryptographicException e)
            {
                throw new RegistrationException(RegistrationError.InvalidArgument, $"bundle: PEM data holds an unreadable certificate: {e.Message}", e);
            }
        }

        return certs.ToArray();
    }
}
