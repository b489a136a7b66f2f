using AgentFabric.Spiffe.Bundles;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.WorkloadApi;

namespace AgentFabric.Edge.Hosting;

/// <summary>
/// What the edge checks agents against: X.509 and JWT trust bundles the administrator configured — a SPIFFE bundle
/// map file, or live from the node agent's Workload API — never a bundle a client names. The rest of the edge sees
/// only the source interfaces, so a bundle the node agent rotates is used by the next request.
/// </summary>
public sealed class EdgeTrustSources : IAsyncDisposable
{
    private readonly IAsyncDisposable[] _owned;

    /// <summary>Sources given directly (a static <see cref="SpiffeBundleSet"/>, or live sources the caller owns).</summary>
    public EdgeTrustSources(IX509BundleSource x509Bundles, IJwtBundleSource jwtBundles, IX509SvidSource? ownSvid = null)
        : this(x509Bundles, jwtBundles, ownSvid, [])
    {
    }

    private EdgeTrustSources(IX509BundleSource x509Bundles, IJwtBundleSource jwtBundles, IX509SvidSource? ownSvid, IAsyncDisposable[] owned)
    {
        ArgumentNullException.ThrowIfNull(x509Bundles);
        ArgumentNullException.ThrowIfNull(jwtBundles);
        X509Bundles = x509Bundles;
        JwtBundles = jwtBundles;
        OwnSvid = ownSvid;
        _owned = owned;
    }

    /// <summary>X.509 authorities for client certificates (RFC 8705 over SPIFFE: X509-SVID §5).</summary>
    public IX509BundleSource X509Bundles { get; }

    /// <summary>JWT authorities for client assertions and actor tokens (JWT-SVID §6).</summary>
    public IJwtBundleSource JwtBundles { get; }

    /// <summary>The edge's own X.509-SVID (from the Workload API), or null.</summary>
    public IX509SvidSource? OwnSvid { get; }

    /// <summary>The sources <paramref name="options"/> name: the Workload API (waits for its first update, at most
    /// <paramref name="startTimeout"/>), the bundle map file, or none (trusts nobody).</summary>
    /// <exception cref="EdgeConfigException">The file cannot be read or parsed, or the Workload API does not answer.</exception>
    public static async Task<EdgeTrustSources> CreateAsync(EdgeOptions options, TimeSpan startTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.WorkloadApiAddress is not null)
        {
            return await FromWorkloadApiAsync(options.WorkloadApiAddress, startTimeout, cancellationToken).ConfigureAwait(false);
        }

        if (options.TrustBundlePath is null)
        {
            var empty = new SpiffeBundleSet();
            return new EdgeTrustSources(empty, empty);
        }

        try
        {
            var set = SpiffeBundleSet.ParseBundleMap(File.ReadAllBytes(options.TrustBundlePath));
            return new EdgeTrustSources(set, set);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SpiffeBundleException)
        {
            throw new EdgeConfigException($"edge: cannot read the trust bundle map {options.TrustBundlePath}: {e.Message}", e);
        }
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var owned in _owned)
        {
            await owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<EdgeTrustSources> FromWorkloadApiAsync(string address, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(startTimeout);
        var client = new WorkloadApiClientOptions { Address = address };
        X509Source? x509 = null;
        try
        {
            x509 = await X509Source.CreateAsync(client, cancellationToken: timeout.Token).ConfigureAwait(false);
            var jwt = await JwtSource.CreateAsync(client, timeout.Token).ConfigureAwait(false);
            return new EdgeTrustSources(x509, jwt, x509, [x509, jwt]);
        }
        catch (Exception e) when (e is WorkloadApiException or OperationCanceledException)
        {
            if (x509 is not null)
            {
                await x509.DisposeAsync().ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new EdgeConfigException(e is OperationCanceledException
                ? $"edge: the Workload API at {address} sent no X.509 and JWT bundles within {startTimeout.TotalSeconds:0} s"
                : $"edge: the Workload API at {address} failed: {e.Message}", e);
        }
    }
}
