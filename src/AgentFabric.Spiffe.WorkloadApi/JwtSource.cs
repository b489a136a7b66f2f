using System.Collections.Concurrent;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Svid.Jwt;
using Grpc.Core;

namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>
/// The workload's live JWT view (go-spiffe's <c>workloadapi.JWTSource</c>): JWT bundles from a <c>FetchJWTBundles</c>
/// stream (an <see cref="IJwtBundleSource"/> for <see cref="JwtSvid.Parse"/>), and JWT-SVIDs per audience, fetched
/// once and reused until half their lifetime has passed so callers rarely wait on the endpoint.
/// </summary>
public sealed class JwtSource : IJwtBundleSource, IAsyncDisposable, IDisposable
{
    private readonly WorkloadApiClient _client;
    private readonly bool _ownsClient;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstUpdate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, CachedSvid> _svids = new(StringComparer.Ordinal);
    private JwtBundleSet? _bundles;
    private WorkloadApiException? _lastError;
    private Task _watch = Task.CompletedTask;

    private JwtSource(WorkloadApiClient client, bool ownsClient)
    {
        _client = client;
        _ownsClient = ownsClient;
        _time = client.Options.TimeProvider;
    }

    /// <summary>Raised after each accepted JWT bundle update.</summary>
    public event EventHandler<JwtBundleSet>? Updated;

    /// <summary>The latest JWT bundles, or null when none are in force.</summary>
    public JwtBundleSet? Bundles => Volatile.Read(ref _bundles);

    /// <summary>The last error the bundle watch reported, or null.</summary>
    public WorkloadApiException? LastError => Volatile.Read(ref _lastError);

    /// <summary>Starts watching JWT bundles and waits for the first set.</summary>
    /// <exception cref="WorkloadApiException">The endpoint answered InvalidArgument or Unimplemented first.</exception>
    public static Task<JwtSource> CreateAsync(WorkloadApiClientOptions? options = null, CancellationToken cancellationToken = default) =>
        StartAsync(new WorkloadApiClient(options), ownsClient: true, cancellationToken);

    /// <summary>Starts a source on an existing client (which the source does not dispose).</summary>
    public static Task<JwtSource> CreateAsync(WorkloadApiClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return StartAsync(client, ownsClient: false, cancellationToken);
    }

    /// <summary>
    /// A JWT-SVID for the audience (and <paramref name="subject"/> when given), from the cache while less than half of
    /// its lifetime has passed, else freshly fetched.
    /// </summary>
    /// <exception cref="WorkloadApiException">The fetch failed.</exception>
    public async Task<JwtSvid> FetchJwtSvidAsync(
        string audience,
        IEnumerable<string>? extraAudiences = null,
        SpiffeId? subject = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        string[] extras = extraAudiences?.ToArray() ?? [];
        string key = string.Join('\n', [subject?.ToString() ?? string.Empty, audience, .. extras]);
        var now = _time.GetUtcNow();
        if (_svids.TryGetValue(key, out var cached) && now < cached.RefreshAt)
        {
            return cached.Svid;
        }

        var svid = await _client.FetchJwtSvidAsync(audience, extras, subject, cancellationToken).ConfigureAwait(false);
        var issued = svid.IssuedAt ?? now;
        _svids[key] = new CachedSvid(svid, issued + ((svid.Expiry - issued) / 2));
        return svid;
    }

    /// <summary>The JWT bundle of <paramref name="trustDomain"/>.</summary>
    /// <exception cref="JwtBundleException">No bundle for the trust domain is in force.</exception>
    public JwtBundle GetJwtBundleForTrustDomain(TrustDomain trustDomain)
    {
        var bundles = Bundles ?? throw new JwtBundleException($"workloadapi: no JWT bundle for trust domain \"{trustDomain}\" in force");
        return bundles.GetJwtBundleForTrustDomain(trustDomain);
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
            // Ended by cancellation, or earlier with an error reported through LastError.
        }

        if (_ownsClient)
        {
            _client.Dispose();
        }

        _stop.Dispose();
    }

    /// <inheritdoc/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static async Task<JwtSource> StartAsync(WorkloadApiClient client, bool ownsClient, CancellationToken cancellationToken)
    {
        var source = new JwtSource(client, ownsClient);
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
            await _client.WatchJwtBundlesAsync(OnUpdate, OnError, _stop.Token).ConfigureAwait(false);
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

    private void OnUpdate(JwtBundleSet bundles)
    {
        Volatile.Write(ref _bundles, bundles);
        _firstUpdate.TrySetResult();
        Updated?.Invoke(this, bundles);
    }

    private void OnError(WorkloadApiException error)
    {
        Volatile.Write(ref _lastError, error);
        // WA §6.2.2: PermissionDenied withdraws every bundle.
        if (error.StatusCode == StatusCode.PermissionDenied)
        {
            Volatile.Write(ref _bundles, null);
        }
    }

    private sealed record CachedSvid(JwtSvid Svid, DateTimeOffset RefreshAt);
}
