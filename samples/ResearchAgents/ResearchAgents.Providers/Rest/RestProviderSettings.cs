using Microsoft.Extensions.Configuration;

namespace ResearchAgents.Providers.Rest;

/// <summary>
/// Which REST providers the environment configures. A provider is configured by its key (Tavily, Gemini) or its base
/// URL (OpenAI-compatible); settings of an unconfigured provider are ignored, and an empty variable counts as unset.
/// At most one chat provider: with both Gemini and an OpenAI-compatible endpoint configured, <c>CHAT_PROVIDER</c>
/// (<c>gemini</c> or <c>openai</c>) chooses.
/// </summary>
public sealed record RestProviderSettings
{
    public TavilySearchSettings? Tavily { get; init; }

    public GeminiChatSettings? Gemini { get; init; }

    public OpenAiCompatibleChatSettings? OpenAiCompatible { get; init; }

    /// <summary>Reads <c>TAVILY_API_KEY</c> [<c>TAVILY_BASE_URL</c>]; <c>GEMINI_API_KEY</c> [<c>GEMINI_MODEL</c>,
    /// <c>GEMINI_BASE_URL</c>]; <c>OPENAI_BASE_URL</c> + <c>OPENAI_MODEL</c> [<c>OPENAI_API_KEY</c>]; <c>CHAT_PROVIDER</c>.</summary>
    /// <exception cref="RestProviderConfigurationException">A configured provider's settings are invalid.</exception>
    public static RestProviderSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new RestProviderSettings
        {
            Tavily = ReadTavily(configuration),
            Gemini = ReadGemini(configuration),
            OpenAiCompatible = ReadOpenAiCompatible(configuration),
        };
        return ChooseChat(settings, Value(configuration, "CHAT_PROVIDER"));
    }

    private static TavilySearchSettings? ReadTavily(IConfiguration configuration)
    {
        string? key = Value(configuration, "TAVILY_API_KEY");
        if (key is null)
        {
            return null;
        }

        Require("TAVILY_API_KEY", EndpointRules.CheckApiKey(key));
        return new TavilySearchSettings
        {
            ApiKey = key,
            BaseAddress = BaseAddress(configuration, "TAVILY_BASE_URL", sendsKey: true) ?? TavilySearchSettings.DefaultBaseAddress,
        };
    }

    private static GeminiChatSettings? ReadGemini(IConfiguration configuration)
    {
        string? key = Value(configuration, "GEMINI_API_KEY");
        if (key is null)
        {
            return null;
        }

        Require("GEMINI_API_KEY", EndpointRules.CheckApiKey(key));
        string model = configuration["GEMINI_MODEL"] is { } configured ? configured.Trim() : GeminiChatSettings.DefaultModel;
        Require("GEMINI_MODEL", EndpointRules.CheckModel(GeminiChatProvider.ModelCode(model), inUrlPath: true));
        return new GeminiChatSettings
        {
            ApiKey = key,
            Model = model,
            BaseAddress = BaseAddress(configuration, "GEMINI_BASE_URL", sendsKey: true) ?? GeminiChatSettings.DefaultBaseAddress,
        };
    }

    private static OpenAiCompatibleChatSettings? ReadOpenAiCompatible(IConfiguration configuration)
    {
        if (Value(configuration, "OPENAI_BASE_URL") is null)
        {
            return null;
        }

        string? key = Value(configuration, "OPENAI_API_KEY");
        if (key is not null)
        {
            Require("OPENAI_API_KEY", EndpointRules.CheckApiKey(key));
        }

        Uri baseAddress = BaseAddress(configuration, "OPENAI_BASE_URL", sendsKey: key is not null)!;
        string? model = Value(configuration, "OPENAI_MODEL");
        if (model is null)
        {
            // No default: a model name only means something to the endpoint it is served by.
            throw new RestProviderConfigurationException(
                "OPENAI_MODEL is empty: name the model OPENAI_BASE_URL serves (e.g. llama3.2 for Ollama, gpt-4o-mini for OpenAI)");
        }

        return new OpenAiCompatibleChatSettings { BaseAddress = baseAddress, Model = model, ApiKey = key };
    }

    private static RestProviderSettings ChooseChat(RestProviderSettings settings, string? choice)
    {
        switch (choice?.ToLowerInvariant())
        {
            case null when settings.Gemini is not null && settings.OpenAiCompatible is not null:
                throw new RestProviderConfigurationException(
                    "GEMINI_API_KEY and OPENAI_BASE_URL both configure a chat provider: set CHAT_PROVIDER to gemini or openai");
            case null:
                return settings;
            case "gemini":
                return settings.Gemini is not null
                    ? settings with { OpenAiCompatible = null }
                    : throw new RestProviderConfigurationException("CHAT_PROVIDER is gemini but GEMINI_API_KEY is not set");
            case "openai":
                return settings.OpenAiCompatible is not null
                    ? settings with { Gemini = null }
                    : throw new RestProviderConfigurationException("CHAT_PROVIDER is openai but OPENAI_BASE_URL is not set");
            default:
                throw new RestProviderConfigurationException("CHAT_PROVIDER must be gemini or openai");
        }
    }

    /// <summary>The URL in <paramref name="name"/>, or <see langword="null"/> when unset. Its value is not echoed in
    /// errors: a URL may carry credentials.</summary>
    private static Uri? BaseAddress(IConfiguration configuration, string name, bool sendsKey)
    {
        string? value = Value(configuration, name);
        if (value is null)
        {
            return null;
        }

        Uri.TryCreate(value, UriKind.Absolute, out var uri);
        Require(name, EndpointRules.CheckBaseAddress(uri, sendsKey));
        return uri;
    }

    private static string? Value(IConfiguration configuration, string name) =>
        configuration[name] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static void Require(string name, string? problem)
    {
        if (problem is not null)
        {
            throw new RestProviderConfigurationException($"{name} {problem}");
        }
    }
}
