using System.Text;
using AgentFabric.Server.Config;
using AgentFabric.Server.Datastore;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Tls;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Server.Federation;

/// <summary>
/// Keeps federated trust domains' bundles fresh by fetching them from their bundle endpoints, each again after its
/// <c>spiffe_refresh_hint</c> (Federation §5.1.2; 5 minutes when absent, retry after 30 s on failure).
/// https_spiffe endpoints are authenticated with the bundle we already hold for the endpoint SPIFFE ID's trust domain
/// (§5.2.2), so the first bundle must be set by an admin (<c>bundle set</c>, or with <c>federation create</c>);
/// https_web endpoints with Web PKI (§5.2.1). The relationships are the config's and the dynamic ones: one loop per
/// trust domain, started, restarted or stopped when <see cref="FederationRelationships.Changed"/> fires (and every
/// 30 s, for relationships another server sharing the datastore wrote).
/// </summary>
public sealed partial class BundleRefresher
{
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan s_retry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_reread = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_minimum = TimeSpan.FromSeconds(1);
    private readonly BundleService _bundles;
    private readonly FederationRelationships _relationships;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public BundleRefresher(BundleService bundles, FederationRelationships relationships, TimeProvider time, ILogger logger)
    {
        _bundles = bundles;
        _relationships = relationships;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs one refresh loop per relationship until cancelled, following relationship changes.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var running = new Dictionary<TrustDomain, RunningLoop>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // Taken before the read, so a change made while reading is not missed.
                var changed = _relationships.Changed.Next;
                try
                {
                    Reconcile(running, await _relationships.ListAllAsync(cancellationToken).ConfigureAwait(false), cancellationToken);
                }
                catch (DatastoreException e)
                {
                    LogListFailed(_logger, e.Message);
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                await Task.WhenAny(changed, Task.Delay(s_reread, _time, wait.Token)).ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var loop in running.Values)
            {
                await loop.StopAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Fetches and stores the bundle of the relationship with <paramref name="trustDomain"/> now
    /// (<c>federation refresh</c>); its loop keeps its own schedule.</summary>
    /// <exception cref="Registration.RegistrationException">No such relationship.</exception>
    /// <exception cref="FederationException">The fetch failed or did not return a SPIFFE bundle.</exception>
    public async Task<StoredBundle> RefreshNowAsync(string trustDomain, CancellationToken cancellationToken)
    {
        var relationship = await _relationships.GetAsync(trustDomain, cancellationToken).ConfigureAwait(false);
        try
        {
            await RefreshAsync(relationship, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Security.Authentication.AuthenticationException e)
        {
            throw new FederationException($"federation: the bundle endpoint {relationship.BundleEndpointUrl} of \"{relationship.TrustDomain}\" failed authentication: {e.Message}", e);
        }

        return (await _bundles.ListFederatedAsync(relationship.TrustDomain.Name, cancellationToken).ConfigureAwait(false))[0];
    }

    private void Reconcile(Dictionary<TrustDomain, RunningLoop> running, IReadOnlyList<FederatedTrustDomainSettings> wanted, CancellationToken cancellationToken)
    {
        var byDomain = wanted.ToDictionary(w => w.TrustDomain);
        foreach (var (td, loop) in running.ToList())
        {
            if (!byDomain.TryGetValue(td, out var now) || now != loop.Relationship)
            {
                // Not awaited: the loop ends at its next await; a restarted one starts with the new settings at once.
                _ = loop.StopAsync();
                running.Remove(td);
            }
        }

        foreach (var relationship in wanted)
        {
            if (!running.ContainsKey(relationship.TrustDomain))
            {
                var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                running[relationship.TrustDomain] = new RunningLoop(relationship, stop, Task.Run(() => RunOneAsync(relationship, stop.Token), CancellationToken.None));
            }
        }
    }

    private sealed record RunningLoop(FederatedTrustDomainSettings Relationship, CancellationTokenSource Stop, Task Loop)
    {
        public async Task StopAsync()
        {
            await Stop.CancelAsync().ConfigureAwait(false);
            await Loop.ConfigureAwait(false);
            Stop.Dispose();
        }
    }

    /// <summary>Fetches and stores the bundle once; returns when to fetch again.</summary>
    public async Task<TimeSpan> RefreshAsync(FederatedTrustDomainSettings federation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(federation);
        using var handler = new SocketsHttpHandler();
        if (federation.Profile == BundleEndpointProfile.HttpsSpiffe)
        {
            var endpointDomain = FederationRelationships.BundleTrustDomain(federation);
            var current = (await _bundles.ListFederatedAsync(endpointDomain.Name, cancellationToken).ConfigureAwait(false)).FirstOrDefault()
                ?? throw new FederationException($"federation: no bundle for \"{endpointDomain}\" to authenticate its https_spiffe endpoint; set one first (bundle set)");
            var bundle = new X509Bundle(endpointDomain, BundleService.ParsePem(current.X509AuthoritiesPem));
            handler.SslOptions = SpiffeTls.CreateTlsClientOptions(bundle, SpiffeAuthorizer.Id(federation.EndpointSpiffeId), _time);
        }

        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        string json;
        try
        {
            json = await client.GetStringAsync(federation.BundleEndpointUrl, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new FederationException($"federation: fetching the bundle of \"{federation.TrustDomain}\" from {federation.BundleEndpointUrl} failed: {e.Message}", e);
        }

        if (!SpiffeBundle.TryParse(federation.TrustDomain, Encoding.UTF8.GetBytes(json), out var fetched, out var error))
        {
            throw new FederationException($"federation: the bundle of \"{federation.TrustDomain}\" from {federation.BundleEndpointUrl} is not a SPIFFE bundle: {error}");
        }

        await _bundles.SetFederatedAsync(fetched, cancellationToken).ConfigureAwait(false);
        var hint = fetched.RefreshHint is { } h && h > TimeSpan.Zero ? h : DefaultRefresh;
        return hint < s_minimum ? s_minimum : hint;
    }

    private async Task RunOneAsync(FederatedTrustDomainSettings federation, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await RefreshAsync(federation, cancellationToken).ConfigureAwait(false);
                LogRefreshed(_logger, federation.TrustDomain.Name, wait.TotalSeconds);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is FederationException or Registration.RegistrationException or DatastoreException
                or System.Security.Authentication.AuthenticationException or OperationCanceledException)
            {
                // An HTTP timeout is an OperationCanceledException that is not ours: retry like any failed fetch.
                LogRefreshFailed(_logger, federation.TrustDomain.Name, e.Message);
                wait = s_retry;
            }

            try
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Refreshed bundle of {TrustDomain}; next refresh in {Seconds} s")]
    private static partial void LogRefreshed(ILogger logger, string trustDomain, double seconds);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Reading federation relationships failed: {Reason}")]
    private static partial void LogListFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Bundle refresh of {TrustDomain} failed: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string trustDomain, string reason);
}
