using System.Net.Http;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Tls;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace AgentFabric.AspNetCore;

/// <summary>Named HttpClients that call another workload over SPIFFE mTLS.</summary>
public static class SpiffeHttpClientServiceCollectionExtensions
{
    /// <summary>Registers the named client <paramref name="name"/> calling <paramref name="expectedServerId"/>.</summary>
    /// <exception cref="SpiffeIdException"><paramref name="expectedServerId"/> is not a SPIFFE ID.</exception>
    public static IHttpClientBuilder AddSpiffeHttpClient(this IServiceCollection services, string name, string expectedServerId, Action<SpiffeHttpClientOptions>? configure = null) =>
        services.AddSpiffeHttpClient(name, SpiffeId.Parse(expectedServerId), configure);

    /// <summary>
    /// Registers the named client <paramref name="name"/>: it presents this workload's X.509-SVID (full chain),
    /// accepts only a server whose SVID verifies against the bundle and names exactly <paramref name="expectedServerId"/>
    /// (host names are not checked, SPIFFE IDs are), and exchanges the current user token for one addressed to the
    /// server (<see cref="SpiffeHttpClientOptions.ExchangeUserToken"/>). Resolve with
    /// <c>IHttpClientFactory.CreateClient(name)</c>.
    /// </summary>
    public static IHttpClientBuilder AddSpiffeHttpClient(this IServiceCollection services, string name, SpiffeId expectedServerId, Action<SpiffeHttpClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (expectedServerId.IsZero)
        {
            throw new ArgumentException("agentfabric: the expected server SPIFFE ID is empty", nameof(expectedServerId));
        }

        var options = new SpiffeHttpClientOptions();
        configure?.Invoke(options);
        if (options.RefreshBeforeExpiry < TimeSpan.Zero || options.PooledConnectionLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentException("agentfabric: RefreshBeforeExpiry must not be negative and PooledConnectionLifetime must be positive", nameof(configure));
        }

        services.AddHttpContextAccessor();
        services.AddHttpClient(EdgeMetadata.HttpClientName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EdgeMetadata>();
        services.TryAddSingleton<TokenExchanger>();
        return services.AddHttpClient(name)
            .ConfigurePrimaryHttpMessageHandler(sp => new SvidBoundConnectionHandler(
                sp.GetRequiredService<SpiffeSources>(),
                SpiffeAuthorizer.Id(expectedServerId),
                options.PooledConnectionLifetime,
                sp.GetRequiredService<TimeProvider>()))
            .AddHttpMessageHandler(sp => new TokenExchangeHandler(
                sp.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>(),
                sp.GetRequiredService<TokenExchanger>(),
                sp.GetRequiredService<SpiffeSources>(),
                expectedServerId,
                options))
            // The primary handler follows SVID rotation itself (a pool per SVID, connections capped at its expiry),
            // so the factory need not recycle it.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
    }
}
