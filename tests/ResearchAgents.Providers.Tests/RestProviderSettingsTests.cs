using Microsoft.Extensions.Configuration;
using ResearchAgents.Providers.Rest;

namespace ResearchAgents.Providers.Tests;

/// <summary>The environment variables the sample documents, read through <see cref="IConfiguration"/> as the agents do.</summary>
public sealed class RestProviderSettingsTests
{
    internal static IConfiguration Environment(params string[] variables) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(variables.Select(v => v.Split('=', 2)).Select(p => new KeyValuePair<string, string?>(p[0], p[1])))
            .Build();

    [Theory]
    [InlineData]
    [InlineData("TAVILY_API_KEY=", "GEMINI_API_KEY=  ", "OPENAI_BASE_URL=")]
    [InlineData("GEMINI_MODEL=", "OPENAI_MODEL=x", "OPENAI_API_KEY=sk", "TAVILY_BASE_URL=not a url", "GEMINI_BASE_URL=ftp://x")] // settings of unconfigured providers
    public void Nothing_configured_is_nothing(params string[] variables)
    {
        var settings = RestProviderSettings.FromConfiguration(Environment(variables));

        Assert.Equal(new RestProviderSettings(), settings);
    }

    [Fact]
    public void Tavily_by_its_key_with_the_documented_endpoint()
    {
        var settings = RestProviderSettings.FromConfiguration(Environment("TAVILY_API_KEY= tvly-abc "));

        Assert.Equal(new TavilySearchSettings { ApiKey = "tvly-abc" }, settings.Tavily);
        Assert.Equal(new Uri("https://api.tavily.com/"), settings.Tavily!.BaseAddress);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Tavily.Timeout);
    }

    [Theory]
    [InlineData(new[] { "GEMINI_API_KEY=AIza1" }, "gemini-3.5-flash", "https://generativelanguage.googleapis.com/")]
    [InlineData(new[] { "GEMINI_API_KEY=AIza1", "GEMINI_MODEL=gemini-2.5-flash" }, "gemini-2.5-flash", "https://generativelanguage.googleapis.com/")]
    [InlineData(new[] { "GEMINI_API_KEY=AIza1", "GEMINI_MODEL=models/gemini-2.5-flash", "GEMINI_BASE_URL=http://127.0.0.1:8080/" }, "models/gemini-2.5-flash", "http://127.0.0.1:8080/")]
    public void Gemini_by_its_key_with_a_default_model(string[] variables, string model, string baseAddress)
    {
        var settings = RestProviderSettings.FromConfiguration(Environment(variables));

        Assert.Equal(new GeminiChatSettings { ApiKey = "AIza1", Model = model, BaseAddress = new Uri(baseAddress) }, settings.Gemini);
        Assert.Null(settings.OpenAiCompatible);
    }

    [Theory]
    [InlineData(new[] { "OPENAI_BASE_URL=http://127.0.0.1:11434/v1", "OPENAI_MODEL=llama3.2" }, null)]
    [InlineData(new[] { "OPENAI_BASE_URL=http://localhost:11434/v1", "OPENAI_MODEL=llama3.2", "OPENAI_API_KEY=ollama" }, "ollama")]
    [InlineData(new[] { "OPENAI_BASE_URL=https://api.openai.com/v1", "OPENAI_MODEL=gpt-4o-mini", "OPENAI_API_KEY=sk-1" }, "sk-1")]
    public void OpenAi_compatible_by_its_base_url(string[] variables, string? key)
    {
        var settings = RestProviderSettings.FromConfiguration(Environment(variables));

        var expected = Environment(variables);
        Assert.Equal(new OpenAiCompatibleChatSettings { BaseAddress = new Uri(expected["OPENAI_BASE_URL"]!), Model = expected["OPENAI_MODEL"]!, ApiKey = key }, settings.OpenAiCompatible);
        Assert.Null(settings.Gemini);
    }

    [Theory]
    [InlineData("CHAT_PROVIDER=gemini", "gemini")]
    [InlineData("CHAT_PROVIDER=OpenAI", "openai")]
    public void CHAT_PROVIDER_chooses_between_two_configured_chat_providers(string choice, string chosen)
    {
        var settings = RestProviderSettings.FromConfiguration(Environment(
            "GEMINI_API_KEY=AIza1", "OPENAI_BASE_URL=http://127.0.0.1:11434/v1", "OPENAI_MODEL=llama3.2", choice));

        Assert.Equal(chosen == "gemini", settings.Gemini is not null);
        Assert.Equal(chosen == "openai", settings.OpenAiCompatible is not null);
    }

    [Theory]
    [InlineData("TAVILY_API_KEY=tvly key", "TAVILY_API_KEY has a character not allowed in an HTTP header (only visible ASCII)")]
    [InlineData("TAVILY_API_KEY=tvly-1|TAVILY_BASE_URL=api.tavily.com", "TAVILY_BASE_URL is not an absolute http(s) URL")]
    [InlineData("TAVILY_API_KEY=tvly-1|TAVILY_BASE_URL=/search", "TAVILY_BASE_URL is not an absolute http(s) URL")]
    [InlineData("TAVILY_API_KEY=tvly-1|TAVILY_BASE_URL=http://search.example/", "TAVILY_BASE_URL is plain http to another machine: the API key would travel in clear (use https)")]
    [InlineData("GEMINI_API_KEY=AIza1|GEMINI_MODEL=", "GEMINI_MODEL is empty")]
    [InlineData("GEMINI_API_KEY=AIza1|GEMINI_MODEL=   ", "GEMINI_MODEL is empty")]
    [InlineData("GEMINI_API_KEY=AIza1|GEMINI_MODEL=gemini/../../v1/files", "GEMINI_MODEL is not a model name (letters, digits, '-', '.', '_'; e.g. gemini-2.5-flash)")]
    [InlineData("GEMINI_API_KEY=AIza1|GEMINI_MODEL=gemini-2.5-flash:streamGenerateContent", "GEMINI_MODEL is not a model name (letters, digits, '-', '.', '_'; e.g. gemini-2.5-flash)")]
    [InlineData("GEMINI_API_KEY=AIza1|GEMINI_BASE_URL=https://proxy.example/?key=1", "GEMINI_BASE_URL must not have a query, a fragment or user info")]
    [InlineData("OPENAI_BASE_URL=http://127.0.0.1:11434/v1", "OPENAI_MODEL is empty: name the model OPENAI_BASE_URL serves (e.g. llama3.2 for Ollama, gpt-4o-mini for OpenAI)")]
    [InlineData("OPENAI_BASE_URL=http://127.0.0.1:11434/v1|OPENAI_MODEL= ", "OPENAI_MODEL is empty: name the model OPENAI_BASE_URL serves (e.g. llama3.2 for Ollama, gpt-4o-mini for OpenAI)")]
    [InlineData("OPENAI_BASE_URL=127.0.0.1:11434|OPENAI_MODEL=llama3.2", "OPENAI_BASE_URL is not an absolute http(s) URL")]
    [InlineData("OPENAI_BASE_URL=https://user:secret@llm.example/v1|OPENAI_MODEL=m", "OPENAI_BASE_URL must not have a query, a fragment or user info")]
    [InlineData("OPENAI_BASE_URL=http://gpu-box:11434/v1|OPENAI_MODEL=m|OPENAI_API_KEY=sk-1", "OPENAI_BASE_URL is plain http to another machine: the API key would travel in clear (use https)")]
    [InlineData("GEMINI_API_KEY=AIza1|OPENAI_BASE_URL=http://127.0.0.1:11434/v1|OPENAI_MODEL=m", "GEMINI_API_KEY and OPENAI_BASE_URL both configure a chat provider: set CHAT_PROVIDER to gemini or openai")]
    [InlineData("GEMINI_API_KEY=AIza1|CHAT_PROVIDER=openai", "CHAT_PROVIDER is openai but OPENAI_BASE_URL is not set")]
    [InlineData("OPENAI_BASE_URL=http://127.0.0.1:11434/v1|OPENAI_MODEL=m|CHAT_PROVIDER=gemini", "CHAT_PROVIDER is gemini but GEMINI_API_KEY is not set")]
    [InlineData("CHAT_PROVIDER=ollama", "CHAT_PROVIDER must be gemini or openai")]
    public void An_invalid_setting_is_a_clear_error_naming_the_variable(string variables, string expected)
    {
        var failure = Assert.Throws<RestProviderConfigurationException>(() => RestProviderSettings.FromConfiguration(Environment(variables.Split('|'))));

        Assert.Equal(expected, failure.Message);
    }

    [Fact]
    public void Plain_http_without_a_key_may_go_to_another_machine()
    {
        var settings = RestProviderSettings.FromConfiguration(Environment("OPENAI_BASE_URL=http://gpu-box:11434/v1", "OPENAI_MODEL=m"));

        Assert.Equal(new Uri("http://gpu-box:11434/v1"), settings.OpenAiCompatible!.BaseAddress);
    }
}
