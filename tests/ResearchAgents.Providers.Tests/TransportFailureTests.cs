using AgentFabric.Testing;
using Microsoft.Extensions.Time.Testing;
using ResearchAgents.Providers.Rest;
using ResearchAgents.Providers.Tests.Infrastructure;

namespace ResearchAgents.Providers.Tests;

/// <summary>What all three providers share: the deadline, the size limit, an unreachable server and the caller's
/// cancellation, each for every provider.</summary>
public sealed class TransportFailureTests
{
    public static TheoryData<string> Providers => ["tavily", "gemini", "openai-compatible"];

    private static Func<CancellationToken, Task> Call(string provider, ApiServer server, TimeProvider? time = null) => provider switch
    {
        "tavily" => ct => TavilySearchProviderTests.Provider(server, time).SearchAsync("q", 3, ct),
        "gemini" => ct => GeminiChatProviderTests.Provider(server, time: time).CompleteAsync("s", "u", ct),
        "openai-compatible" => ct => OpenAiCompatibleChatProviderTests.Provider(server, time: time).CompleteAsync("s", "u", ct),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    [Theory]
    [InlineData("tavily", "tavily: no answer within 30 s", 30)]
    [InlineData("gemini", "gemini: no answer within 60 s", 60)]
    [InlineData("openai-compatible", "openai-compatible: no answer within 120 s", 120)]
    public async Task An_API_that_does_not_answer_in_time_fails_at_the_default_deadline(string provider, string expected, int seconds)
    {
        await using var server = await ApiServer.StartAsync(new ApiReply(200, "", Stall: true));
        var time = new FakeTimeProvider();

        var call = Call(provider, server, time)(CancellationToken.None);
        await server.FirstRequest;
        time.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var failure = await Assert.ThrowsAsync<ProviderException>(() => call);

        Assert.Equal(expected, failure.Message);
    }

    [Fact]
    public async Task The_deadline_comes_from_the_settings()
    {
        await using var server = await ApiServer.StartAsync(new ApiReply(200, "", Stall: true));
        var time = new FakeTimeProvider();
        var provider = new TavilySearchProvider(
            new HttpClient(), new TavilySearchSettings { ApiKey = "tvly-0123456789", BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMilliseconds(2500) }, time);

        var call = provider.SearchAsync("q", 3, CancellationToken.None);
        await server.FirstRequest;
        time.Advance(TimeSpan.FromMilliseconds(2500));
        var failure = await Assert.ThrowsAsync<ProviderException>(() => call);

        Assert.Equal("tavily: no answer within 2.5 s", failure.Message);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_callers_cancellation_is_a_cancellation_not_a_provider_failure(string provider)
    {
        await using var server = await ApiServer.StartAsync(new ApiReply(200, "", Stall: true));
        using var cancellation = new CancellationTokenSource();

        var call = Call(provider, server)(cancellation.Token);
        await server.FirstRequest;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Theory]
    [InlineData("tavily", true)]
    [InlineData("tavily", false)]
    [InlineData("gemini", true)]
    [InlineData("gemini", false)]
    [InlineData("openai-compatible", true)]
    [InlineData("openai-compatible", false)]
    public async Task An_answer_over_4_MiB_fails_whether_or_not_its_length_is_declared(string provider, bool declareLength)
    {
        string huge = "{\"pad\":\"" + new string('x', 4 * 1024 * 1024) + "\"}";
        await using var server = await ApiServer.StartAsync(new ApiReply(200, huge, DeclareLength: declareLength));

        var failure = await Assert.ThrowsAsync<ProviderException>(() => Call(provider, server)(CancellationToken.None));

        Assert.Equal($"{provider}: the response is larger than 4194304 bytes", failure.Message);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_unreachable_API_names_where_it_was_sought(string provider)
    {
        int port = LoopbackPorts.Next(); // free now, and nothing listens on it
        var unreachable = provider switch
        {
            "tavily" => (Func<Task>)(() => new TavilySearchProvider(new HttpClient(), new TavilySearchSettings { ApiKey = "tvly-0123456789", BaseAddress = new Uri($"http://127.0.0.1:{port}/") }).SearchAsync("q", 1, CancellationToken.None)),
            "gemini" => () => new GeminiChatProvider(new HttpClient(), new GeminiChatSettings { ApiKey = "AIza-0123456789", BaseAddress = new Uri($"http://127.0.0.1:{port}/") }).CompleteAsync("s", "u", CancellationToken.None),
            _ => () => new OpenAiCompatibleChatProvider(new HttpClient(), new OpenAiCompatibleChatSettings { Model = "m", BaseAddress = new Uri($"http://127.0.0.1:{port}/v1") }).CompleteAsync("s", "u", CancellationToken.None),
        };

        var failure = await Assert.ThrowsAsync<ProviderException>(unreachable);

        Assert.StartsWith($"{provider}: cannot reach http://127.0.0.1:{port}/: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("refused", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.IsType<HttpRequestException>(failure.InnerException);
    }

    [Theory]
    [InlineData("tavily")]
    [InlineData("gemini")]
    [InlineData("openai-compatible")]
    public async Task A_connection_closed_in_the_middle_of_the_answer_fails(string provider)
    {
        await using var server = CutShortServer.Start();
        var call = provider switch
        {
            "tavily" => (Func<Task>)(() => new TavilySearchProvider(new HttpClient(), new TavilySearchSettings { ApiKey = "tvly-0123456789", BaseAddress = server.BaseAddress }).SearchAsync("q", 1, CancellationToken.None)),
            "gemini" => () => new GeminiChatProvider(new HttpClient(), new GeminiChatSettings { ApiKey = "AIza-0123456789", BaseAddress = server.BaseAddress }).CompleteAsync("s", "u", CancellationToken.None),
            _ => () => new OpenAiCompatibleChatProvider(new HttpClient(), new OpenAiCompatibleChatSettings { Model = "m", BaseAddress = server.BaseAddress }).CompleteAsync("s", "u", CancellationToken.None),
        };

        var failure = await Assert.ThrowsAsync<ProviderException>(call);

        Assert.StartsWith($"{provider}: the connection broke while reading the answer: ", failure.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(failure.InnerException);
    }
}
