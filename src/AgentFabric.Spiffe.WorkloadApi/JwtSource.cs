using System.Collections.Concurrent;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Svid.Jwt;

namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>
/// The workload's live JWT view (go-spiffe's <c>workloadapi.JWTSource</c>): JWT bundles from a <c>FetchJWTBundles</c>
/// stream (an <see cref="IJwtBundleSource"/> for <see cref="JwtSvid.Parse"/>), and JWT-SVIDs per audience, fetched
/// once and reused until half their lifetime has passed so callers rarely wait on the endpoint.
/// </summary>
public sealed class JwtSource : IJwtBundleSource, IJwtSvidSource, IAsyncDisposable, IDisposable
{
    private readonly SourceWatch<JwtBundleSet> _watch;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, CachedSvid> _svids = new(StringComparer.Ordinal);

    private JwtSource(WorkloadApiClient client, bool ownsClient)
    {
        _watch = new SourceWatch<JwtBundleSet>(client, ownsClient, static (c, update, error, ct) => c.WatchJwtBundlesAsync(update, error, ct), bundles => Updated?.Invoke(this, bundles));
        _time = client.Options.TimeProvider;
    }

    /// <summary>Raised after each accepted JWT bundle update.</summary>
    public event EventHandler<JwtBundleSet>? Updated;

    /// <summary>The latest JWT bundles, or null when none are in force.</summary>
    public JwtBundleSet? Bundles => _watch.Current;

    /// <summary>The last error the bundle watch reported, or null.</summary>
    public WorkloadApiException? LastError => _watch.LastError;

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

        var svid = await _watch.Client.FetchJwtSvidAsync(audience, extras, subject, cancellationToken).ConfigureAwait(false);
        var issued = svid.IssuedAt ?? now;
        _svids[key] = new CachedSvid(svid, issued + ((svid.Expiry - issued) / 2));
        return svid;
    }

    /// <summary>The <see cref="IJwtSvidSource"/> view: a cached JWT-SVID for one audience. A failed fetch surfaces as
    /// <see cref="JwtSvidException"/> (the interface's documented exception) wrapping the Workload API error.</summary>
    async Task<JwtSvid> IJwtSvidSource.FetchJwtSvidAsync(string audience, CancellationToken cancellationToken)
    {
        try
        {
            return await FetchJwtSvidAsync(audience, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (WorkloadApiException e)
        {
            throw new JwtSvidException("jwtsvid: could not fetch a JWT-SVID: " + e.Message, e);
        }
    }

    /// <summary>The JWT bundle of <paramref name="trustDomain"/>.</summary>
    /// <exception cref="JwtBundleException">No bundle for the trust domain is in force.</exception>
    public JwtBundle GetJwtBundleForTrustDomain(TrustDomain trustDomain)
    {
        var bundles = Bundles ?? throw new JwtBundleException(_watch.NoValueMessage($"no JWT bundle for trust domain \"{trustDomain}\""));
        return bundles.GetJwtBundleForTrustDomain(trustDomain);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _watch.StopAsync();

    /// <inheritdoc/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static async Task<JwtSource> StartAsync(WorkloadApiClient client, bool ownsClient, CancellationToken cancellationToken)
    {
        var source = new JwtSource(client, ownsClient);
        await source._watch.StartAsync(cancellationToken).ConfigureAwait(false);
        return source;
    }

    private sealed record CachedSvid(JwtSvid Svid, DateTimeOffset RefreshAt);
}
