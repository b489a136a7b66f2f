using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ResearchAgents.Providers.Rest;
using ResearchAgents.Providers.Tests.Infrastructure;

namespace ResearchAgents.Providers.Tests;

/// <summary><c>services.AddRestProviders(configuration)</c> as the agents call it, resolved and used against
/// stand-ins on 127.0.0.1.</summary>
public sealed class RestProviderRegistrationTests
{
    /// <summary>The offline default an agent adds after the REST providers: a fake, since only its presence matters here.</summary>
    private sealed class OfflineChat : IChatProvider
    {
        public string Name => "offline";

        public Task<string> CompleteAsync(string systemPrompt, string userPrompt, CancellationToken cancellationToken) => Task.FromResult("offline");
    }

    [Fact]
    public void With_nothing_configured_nothing_is_registered_and_the_offline_default_stays()
    {
        var services = new ServiceCollection();

        var registered = services.AddRestProviders(RestProviderSettingsTests.Environment());
        services.TryAddSingleton<IChatProvider, OfflineChat>();

        Assert.Equal(new RegisteredRestProviders(null, null), registered);
        Assert.False(registered.Any);
        using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetService<ISearchProvider>());
        Assert.Equal("offline", provider.GetRequiredService<IChatProvider>().Name);
    }

    [Fact]
    public async Task Tavily_and_Gemini_are_registered_and_answer_through_the_factorys_clients()
    {
        await using var tavily = await ApiServer.StartAsync(ApiReply.Json("""{"results":[{"title":"T","url":"https://t.example/","content":"C"}]}"""));
        await using var gemini = await ApiServer.StartAsync(ApiReply.Json("""{"candidates":[{"content":{"parts":[{"text":"G"}]},"finishReason":"STOP"}]}"""));
        var services = new ServiceCollection();

        var registered = services.AddRestProviders(RestProviderSettingsTests.Environment(
            "TAVILY_API_KEY=tvly-1", $"TAVILY_BASE_URL={tavily.BaseAddress}", "GEMINI_API_KEY=AIza1", $"GEMINI_BASE_URL={gemini.BaseAddress}"));
        services.TryAddSingleton<IChatProvider, OfflineChat>();

        Assert.Equal(new RegisteredRestProviders("tavily", "gemini"), registered);
        await using var provider = services.BuildServiceProvider();
        var search = provider.GetRequiredService<ISearchProvider>();
        var chat = provider.GetRequiredService<IChatProvider>();
        Assert.IsType<TavilySearchProvider>(search);
        Assert.Same(search, provider.GetRequiredService<ISearchProvider>());
        Assert.IsType<GeminiChatProvider>(chat);
        Assert.Equal([new SearchResult("T", new Uri("https://t.example/"), "C")], await search.SearchAsync("q", 1, CancellationToken.None));
        Assert.Equal("G", await chat.CompleteAsync("s", "u", CancellationToken.None));
        Assert.Equal("Bearer tvly-1", tavily.SingleRequest.Headers["Authorization"]);
        Assert.Equal("AIza1", gemini.SingleRequest.Headers["x-goog-api-key"]);
    }

    [Fact]
    public async Task An_OpenAI_compatible_endpoint_is_registered_as_the_chat_provider()
    {
        await using var ollama = await ApiServer.StartAsync(ApiReply.Json("""{"choices":[{"message":{"role":"assistant","content":"O"},"finish_reason":"stop"}]}"""));
        var services = new ServiceCollection();

        var registered = services.AddRestProviders(RestProviderSettingsTests.Environment(
            $"OPENAI_BASE_URL={ollama.BaseAddress}v1", "OPENAI_MODEL=llama3.2"));

        Assert.Equal(new RegisteredRestProviders(null, "openai-compatible"), registered);
        await using var provider = services.BuildServiceProvider();
        Assert.Equal("O", await provider.GetRequiredService<IChatProvider>().CompleteAsync("s", "u", CancellationToken.None));
        Assert.Equal("/v1/chat/completions", ollama.SingleRequest.Path);
        Assert.Null(provider.GetService<ISearchProvider>());
    }

    [Fact]
    public async Task A_redirect_is_not_followed_so_the_key_header_goes_nowhere_else()
    {
        await using var elsewhere = await ApiServer.StartAsync(ApiReply.Json("""{"candidates":[{"content":{"parts":[{"text":"stolen"}]}}]}"""));
        await using var gemini = await ApiServer.StartAsync(new ApiReply(307, "", "text/plain", Location: new Uri(elsewhere.BaseAddress, "v1beta/models/m:generateContent").AbsoluteUri));
        var services = new ServiceCollection();
        services.AddRestProviders(RestProviderSettingsTests.Environment("GEMINI_API_KEY=AIza1", $"GEMINI_BASE_URL={gemini.BaseAddress}"));
        await using var provider = services.BuildServiceProvider();

        var failure = await Assert.ThrowsAsync<ProviderException>(() => provider.GetRequiredService<IChatProvider>().CompleteAsync("s", "u", CancellationToken.None));

        Assert.Equal("gemini: HTTP 307", failure.Message);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public void Invalid_configuration_fails_at_registration_not_at_the_first_request()
    {
        var services = new ServiceCollection();

        Assert.Throws<RestProviderConfigurationException>(() =>
            services.AddRestProviders(RestProviderSettingsTests.Environment("GEMINI_API_KEY=AIza1", "GEMINI_MODEL=")));
        Assert.Empty(services);
    }

    [Theory]
    [InlineData("tavily", "ApiKey is empty (Parameter 'settings')")]
    [InlineData("gemini", "Model is not a model name (letters, digits, '-', '.', '_'; e.g. gemini-2.5-flash) (Parameter 'settings')")]
    [InlineData("openai", "BaseAddress is not an absolute http(s) URL (Parameter 'settings')")]
    [InlineData("timeout", "Timeout must be positive and finite (Parameter 'settings')")]
    [InlineData("both", "Gemini and OpenAiCompatible are both set: the chat provider must be one of them (Parameter 'settings')")]
    public void Invalid_settings_given_directly_are_the_callers_bug(string which, string expected)
    {
        var gemini = new GeminiChatSettings { ApiKey = "k" };
        var openAi = new OpenAiCompatibleChatSettings { BaseAddress = new Uri("http://127.0.0.1:11434/v1"), Model = "m" };
        var settings = which switch
        {
            "tavily" => new RestProviderSettings { Tavily = new TavilySearchSettings { ApiKey = "" } },
            "gemini" => new RestProviderSettings { Gemini = gemini with { Model = "a/b" } },
            "openai" => new RestProviderSettings { OpenAiCompatible = openAi with { BaseAddress = new Uri("ftp://x/") } },
            "timeout" => new RestProviderSettings { Gemini = gemini with { Timeout = TimeSpan.Zero } },
            _ => new RestProviderSettings { Gemini = gemini, OpenAiCompatible = openAi },
        };

        var failure = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddRestProviders(settings));

        Assert.Equal(expected, failure.Message);
    }
}
