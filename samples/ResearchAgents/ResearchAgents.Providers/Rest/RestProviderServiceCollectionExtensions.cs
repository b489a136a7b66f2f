using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ResearchAgents.Providers.Rest;

/// <summary>
/// Registers the REST providers the environment configures as <see cref="ISearchProvider"/> and
/// <see cref="IChatProvider"/> singletons, each on a named <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>.
/// With none configured nothing is registered, and the agents' <c>TryAdd</c> of the offline defaults takes effect.
/// </summary>
public static class RestProviderServiceCollectionExtensions
{
    public const string TavilyHttpClientName = "ResearchAgents.Providers.Tavily";
    public const string GeminiHttpClientName = "ResearchAgents.Providers.Gemini";
    public const string OpenAiCompatibleHttpClientName = "ResearchAgents.Providers.OpenAiCompatible";

    /// <summary>The providers' singletons live as long as the process, so their connections are recycled every few
    /// minutes to follow DNS changes (the factory's handler rotation does not reach a client held for good).</summary>
    private static readonly TimeSpan s_connectionLifetime = TimeSpan.FromMinutes(2);

    /// <summary>Reads the environment (<see cref="RestProviderSettings.FromConfiguration"/>) and registers what it configures.</summary>
    /// <exception cref="RestProviderConfigurationException">A configured provider's settings are invalid.</exception>
    public static RegisteredRestProviders AddRestProviders(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddRestProviders(RestProviderSettings.FromConfiguration(configuration));
    }

    /// <summary>Registers the providers <paramref name="settings"/> configure; their settings are checked here, at start.</summary>
    /// <exception cref="ArgumentException">A provider's settings are invalid, or two chat providers are configured.</exception>
    public static RegisteredRestProviders AddRestProviders(this IServiceCollection services, RestProviderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Gemini is not null && settings.OpenAiCompatible is not null)
        {
            throw new ArgumentException("Gemini and OpenAiCompatible are both set: the chat provider must be one of them", nameof(settings));
        }

        string? search = null;
        string? chat = null;
        if (settings.Tavily is { } tavily)
        {
            TavilySearchProvider.ThrowIfInvalid(tavily);
            AddHttpClient(services, TavilyHttpClientName);
            services.AddSingleton<ISearchProvider>(sp => new TavilySearchProvider(Client(sp, TavilyHttpClientName), tavily, Time(sp)));
            search = "tavily";
        }

        if (settings.Gemini is { } gemini)
        {
            GeminiChatProvider.ThrowIfInvalid(gemini);
            AddHttpClient(services, GeminiHttpClientName);
            services.AddSingleton<IChatProvider>(sp => new GeminiChatProvider(Client(sp, GeminiHttpClientName), gemini, Time(sp)));
            chat = "gemini";
        }

        if (settings.OpenAiCompatible is { } openAi)
        {
            OpenAiCompatibleChatProvider.ThrowIfInvalid(openAi);
            AddHttpClient(services, OpenAiCompatibleHttpClientName);
            services.AddSingleton<IChatProvider>(sp => new OpenAiCompatibleChatProvider(Client(sp, OpenAiCompatibleHttpClientName), openAi, Time(sp)));
            chat = "openai-compatible";
        }

        return new RegisteredRestProviders(search, chat);
    }

    private static void AddHttpClient(IServiceCollection services, string name) =>
        services.AddHttpClient(name, client => client.Timeout = Timeout.InfiniteTimeSpan) // each provider keeps its own deadline
            .UseSocketsHttpHandler((handler, _) =>
            {
                handler.PooledConnectionLifetime = s_connectionLifetime;
                // .NET drops Authorization on a redirect but not x-goog-api-key: no redirect may carry a key elsewhere.
                handler.AllowAutoRedirect = false;
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

    private static HttpClient Client(IServiceProvider services, string name) =>
        services.GetRequiredService<IHttpClientFactory>().CreateClient(name);

    private static TimeProvider Time(IServiceProvider services) => services.GetService<TimeProvider>() ?? TimeProvider.System;
}
