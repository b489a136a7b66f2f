using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using Grpc.Core;

namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>
/// The workload's live X.509 identity (go-spiffe's <c>workloadapi.X509Source</c>): holds the latest X.509 context from
/// a <c>FetchX509SVID</c> stream that reconnects with backoff, and answers as an <see cref="IX509SvidSource"/> and
/// <see cref="IX509BundleSource"/>, so <c>SpiffeTls</c> presents a rotated SVID and honours a changed bundle on the
/// next handshake. After PermissionDenied it stops serving the SVIDs (WA §5.2.1) until the endpoint grants them again.
/// </summary>
public sealed class X509Source : IX509SvidSource, IX509BundleSource, IAsyncDisposable, IDisposable
{
    private readonly WorkloadApiClient _client;
    private readonly bool _ownsClient;
    private readonly Func<IReadOnlyList<X509Svid>, X509Svid> _picker;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstUpdate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private X509Context? _context;
    private WorkloadApiException? _lastError;
    private Task _watch = Task.CompletedTask;

    private X509Source(WorkloadApiClient client, bool ownsClient, Func<IReadOnlyList<X509Svid>, X509Svid>? picker)
    {
        _client = client;
        _ownsClient = ownsClient;
        // WA §8: the default identity is the first SVID of the response.
        _picker = picker ?? (svids => svids[0]);
    }

    /// <summary>Raised after each accepted update (on the watch's thread).</summary>
    public event EventHandler<X509Context>? Updated;

    /// <summary>The latest context, or null when none is in force (not yet received, or withdrawn).</summary>
    public X509Context? Current => Volatile.Read(ref _context);

    /// <summary>The last error the watch reported, or null.</summary>
    public WorkloadApiException? LastError => Volatile.Read(ref _lastError);

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
        var context = Current ?? throw new WorkloadApiException(NoContextMessage("no X.509-SVID"));
        return _picker(context.Svids);
    }

    /// <summary>The X.509 bundle of <paramref name="trustDomain"/> from the latest context.</summary>
    /// <exception cref="X509BundleException">No bundle for the trust domain is in force.</exception>
    public X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain)
    {
        var context = Current ?? throw new X509BundleException(NoContextMessage($"no X.509 bundle for trust domain \"{trustDomain}\""));
        return context.Bundles.GetX509BundleForTrustDomain(trustDomain);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _watch.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WorkloadApiException)
        {
            // The watch ends by cancellation, or already ended with an error the caller saw through LastError.
        }

        Volatile.Write(ref _context, null);
        if (_ownsClient)
        {
            _client.Dispose();
        }

        _stop.Dispose();
    }

    /// <inheritdoc/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static async Task<X509Source> StartAsync(
        WorkloadApiClient client,
        bool ownsClient,
        Func<IReadOnlyList<X509Svid>, X509Svid>? picker,
        CancellationToken cancellationToken)
    {
        var source = new X509Source(client, ownsClient, picker);
        source._watch = source.RunAsync();
        try
        {
            await source._firstUpdate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return source;
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task RunAsync()
    {
        try
        {
            await _client.WatchX509ContextAsync(OnUpdate, OnError, _stop.Token).ConfigureAwait(false);
        }
        catch (WorkloadApiException ex)
        {
            _firstUpdate.TrySetException(ex);
            throw;
        }
        catch (OperationCanceledException)
        {
            _firstUpdate.TrySetCanceled();
            throw;
        }
    }

    private void OnUpdate(X509Context context)
    {
        Volatile.Write(ref _context, context);
        _firstUpdate.TrySetResult();
        Updated?.Invoke(this, context);
    }

    private void OnError(WorkloadApiException error)
    {
        Volatile.Write(ref _lastError, error);

        // WA §5.2.1: after PermissionDenied the client ceases to use the SVIDs it was given. Other failures keep
        // the last good context: an agent restart must not take the workload's identity away.
        if (error.StatusCode == StatusCode.PermissionDenied)
        {
            Volatile.Write(ref _context, null);
        }
    }

    private string NoContextMessage(string what) =>
        LastError is { } error ? $"workloadapi: {what} in force ({error.Message})" : $"workloadapi: {what} in force";
}
