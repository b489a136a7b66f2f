namespace ResearchAgents.Providers.Rest;

/// <summary>Which REST providers <see cref="RestProviderServiceCollectionExtensions.AddRestProviders(Microsoft.Extensions.DependencyInjection.IServiceCollection, RestProviderSettings)"/>
/// registered: a provider name (as in <see cref="ISearchProvider.Name"/>), or <see langword="null"/> where the offline
/// default stays in charge.</summary>
public sealed record RegisteredRestProviders(string? Search, string? Chat)
{
    public bool Any => Search is not null || Chat is not null;
}
