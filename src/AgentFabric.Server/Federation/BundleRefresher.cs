using System.Text;
using AgentFabric.Server.Config;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Tls;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Server.Federation;

/// <summary>
/// Keeps federated trust domains' bundles fresh by fetching them from their bundle endpoints, each again after its
/// <c>spiffe_refresh_hint</c> (Federation §5.1.2; 5 minutes when absent, retry after 30 s on failure).
/// https_spiffe endpoints are authenticated with the bundle we already hold for that trust domain (§5.2.2), so the
/// first bundle must be set by an admin (<c>bundle set</c>); https_web endpoints with Web PKI (§5.2.1).
/// </summary>
public sealed partial class BundleRefresher
{
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan s_retry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_minimum = TimeSpan.FromSeconds(1);
    private readonly BundleService _bundles;
    private readonly IReadOnlyList<FederatedTrustDomainSettings> _federations;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public BundleRefresher(BundleService bundles, IReadOnlyList<FederatedTrustDomainSettings> federations, TimeProvider time, ILogger logger)
    {
        _bundles = bundles;
        _federations = federations;
        _time = time;
        _logger = logger;
    }

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_federations.Select(f => RunOneAsync(f, cancellationToken)));

    /// <summary>Fetches and stores the bundle once; returns when to fetch again.</summary>
    public async Task<TimeSpan> RefreshAsync(FederatedTrustDomainSettings federation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(federation);
        using var handler = new SocketsHttpHandler();
        if (federation.Profile == BundleEndpointProfile.HttpsSpiffe)
        {
            var current = (await _bundles.ListFederatedAsync(federation.TrustDomain.Name, cancellationToken).ConfigureAwait(false)).FirstOrDefault()
                ?? throw new FederationException($"federation: no bundle for \"{federation.TrustDomain}\" to authenticate its https_spiffe endpoint; set one first (bundle set)");
            var bundle = new X509Bundle(federation.TrustDomain, BundleService.ParsePem(current.X509AuthoritiesPem));
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
            catch (Exception e) when (e is FederationException or Registration.RegistrationException or System.Security.Authentication.AuthenticationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogRefreshFailed(_logger, federation.TrustDomain.Name, e.Message);
                wait = s_retry;
            }
            catch (OperationCanceledException)
            {
                return;
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

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Bundle refresh of {TrustDomain} failed: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string trustDomain, string reason);
}
