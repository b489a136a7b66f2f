using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ResearchAgents.Providers.Offline;

/// <summary>Registers the offline defaults.</summary>
public static class OfflineProvidersServiceCollectionExtensions
{
    /// <summary>The offline search (<see cref="OfflineSearchProvider"/>) and summariser (<see cref="ExtractiveChatProvider"/>),
    /// each only when no provider of its kind is registered yet: call it after <c>AddRestProviders</c> so configured
    /// REST providers win.</summary>
    public static IServiceCollection AddOfflineProviders(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ISearchProvider, OfflineSearchProvider>();
        services.TryAddSingleton<IChatProvider, ExtractiveChatProvider>();
        return services;
    }
}
