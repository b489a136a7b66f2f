using Microsoft.Extensions.DependencyInjection;
using ResearchAgents.Providers;
using ResearchAgents.Providers.Offline;

namespace ResearchAgents.Tests;

public class ExtractiveChatProviderTests
{
    private static readonly SearchResult[] Sources =
    [
        new("PKCE", new Uri("urn:t:pkce"), "PKCE binds the code to the client. Cats are nice. The verifier is sent when the code is redeemed."),
        new("Other", new Uri("urn:t:other"), "Dogs bark loudly! PKCE binds the code to the client."),
    ];

    [Fact]
    public async Task Answers_WithTheMostRelevantSentences_InSourceOrder_Once()
    {
        var prompt = ResearchPrompt.User("How does PKCE bind the code to the client?", Sources);
        var answer = await new ExtractiveChatProvider().CompleteAsync(ResearchPrompt.System, prompt, CancellationToken.None);
        Assert.Equal("PKCE binds the code to the client. The verifier is sent when the code is redeemed.", answer);
    }

    [Fact]
    public async Task Says_WhenNothingMatches()
    {
        var prompt = ResearchPrompt.User("zebra quokka?", Sources);
        Assert.Equal(ExtractiveChatProvider.NoAnswer, await new ExtractiveChatProvider().CompleteAsync("", prompt, CancellationToken.None));
    }

    [Fact]
    public async Task Reads_TheFirstLine_AsTheQuestion_WithoutAQuestionLabel()
    {
        var answer = await new ExtractiveChatProvider().CompleteAsync("", "dogs\nCats sleep. Dogs bark.", CancellationToken.None);
        Assert.Equal("Dogs bark.", answer);
    }

    [Fact]
    public async Task Keeps_AtMostThreeSentences()
    {
        var material = string.Join(' ', Enumerable.Range(1, 6).Select(i => $"Token fact number {i}."));
        var answer = await new ExtractiveChatProvider().CompleteAsync("", "Question: token fact\n" + material, CancellationToken.None);
        Assert.Equal(3, answer.Split(". ").Length);
    }

    [Fact]
    public void Prompt_HasTheQuestionLine_AndNumberedSources()
    {
        var prompt = ResearchPrompt.User("  Why?  ", [Sources[0]]);
        Assert.Equal("Question: Why?\n\nSources:\n[1] PKCE (urn:t:pkce)\n" + Sources[0].Content + "\n\n", prompt);
        Assert.True(ResearchPrompt.TryReadQuestion(prompt, out var question, out _));
        Assert.Equal("Why?", question);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two\nlines")]
    public void Prompt_RefusesABadQuestion(string question)
    {
        var e = Assert.Throws<ArgumentException>(() => ResearchPrompt.User(question, []));
        Assert.StartsWith("research prompt: the question must be one non-empty line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offline_Registration_YieldsToProvidersRegisteredFirst()
    {
        // FixedChat stands for a configured REST provider, registered before the offline defaults.
        var services = new ServiceCollection().AddSingleton<IChatProvider, FixedChat>().AddOfflineProviders();
        using var provider = services.BuildServiceProvider();
        Assert.IsType<FixedChat>(provider.GetRequiredService<IChatProvider>());
        Assert.IsType<OfflineSearchProvider>(provider.GetRequiredService<ISearchProvider>());
    }

    private sealed class FixedChat : IChatProvider
    {
        public string Name => "fixed";

        public Task<string> CompleteAsync(string systemPrompt, string userPrompt, CancellationToken cancellationToken) => Task.FromResult("fixed");
    }
}
