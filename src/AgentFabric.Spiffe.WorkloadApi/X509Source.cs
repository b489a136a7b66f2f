using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>
/// The workload's live X.509 identity (go-spiffe's <c>workloadapi.X509Source</c>): holds the latest X.509 context from
/// a <c>FetchX509SVID</c> stream that reconnects with backoff, and answers as an <see cref="IX509SvidSource"/> and
/// <see cref="IX509BundleSource"/>, so <c>SpiffeTls</c> presents a rotated SVID and honours a changed bundle on the
/// next handshake. After PermissionDenied it stops serving the SVIDs (Workload API §5.2.1) until the endpoint grants them again.
/// </summary>
public sealed class X509Source : IX509SvidSource, IX509BundleSource, IAsyncDisposable, IDisposable
{
    private readonly SourceWatch<X509Context> _watch;
    private readonly Func<IReadOnlyList<X509Svid>, X509Svid> _picker;

    private X509Source(WorkloadApiClient client, bool ownsClient, Func<IReadOnlyList<X509Svid>, X509Svid>? picker)
    {
        _watch = new SourceWatch<X509Context>(client, ownsClient, static (c, update, error, ct) => c.WatchX509ContextAsync(update, error, ct), context => Updated?.Invoke(this, context));
        // Workload API §8: the default identity is the first SVID of the response.
        _picker = picker ?? (svids => svids[0]);
    }

    /// <summary>Raised after each accepted update (on the watch's thread).</summary>
    public event EventHandler<X509Context>? Updated;

    /// <summary>The latest context, or null when none is in force (not yet received, or withdrawn).</summary>
    public X509Context? Current => _watch.Current;

    /// <summary>The last error the watch reported, or null.</summary>
    public WorkloadApiException? LastError => _watch.LastError;

    /// <summary>
    /// Starts watching and waits for the first X.509 context. <paramref name="picker"/> chooses the SVID to present
    /// among several (default: the first).
    /// </summary>
    /// <exception cref="WorkloadApiException">The endpoint answered InvalidArgument or Unimplemented before the first
    /// update, or the address is invalid.</exception>
    public static Task<X509Source> CreateAsync(
        WorkloadApiClientOptions? options = null,
        Func<IReadOnlyList<X509Svid>, X509Svid>? picker = null,
        CancellationToken cancellationToken = default) =>
        StartAsync(new WorkloadApiClient(options), ownsClient: true, picker, cancellationToken);

    /// <summary>Starts a source on an existing client (which the source does not dispose).</summary>
    public static Task<X509Source> CreateAsync(
        WorkloadApiClient client,
        Func<IReadOnlyList<X509Svid>, X509Svid>? picker = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return StartAsync(client, ownsClient: false, picker, cancellationToken);
    }

    /// <summary>The SVID to present now.</summary>
    /// <exception cref="WorkloadApiException">No SVID is in force (withdrawn by PermissionDenied, or disposed).</exception>
    public X509Svid GetX509Svid()
    {
        var context = Current ?? throw new WorkloadApiException(_watch.NoValueMessage("no X.509-SVID"));
        return _picker(context.Svids);
    }

    /// <summary>The X.509 bundle of <paramref name="trustDomain"/> from the latest context.</summary>
    /// <exception cref="X509BundleException">No bundle for the trust domain is in force.</exception>
    public X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain)
    {
        var context = Current ?? throw new X509BundleException(_watch.NoValueMessage($"no X.509 bundle for trust domain \"{trustDomain}\""));
        return context.Bundles.GetX509BundleForTrustDomain(trustDomain);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _watch.StopAsync();

    /// <inheritdoc/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static async Task<X509Source> StartAsync(
        WorkloadApiClient client,
        bool ownsClient,
        Func<IReadOnlyList<X509Svid>, X509Svid>? picker,
        CancellationToken cancellationToken)
    {
        var source = new X509Source(client, ownsClient, picker);
        await source._watch.StartAsync(cancellationToken).ConfigureAwait(false);
        return source;
    }
}
