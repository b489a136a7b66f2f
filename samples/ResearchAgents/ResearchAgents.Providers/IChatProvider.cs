namespace ResearchAgents.Providers;

/// <summary>Text generation for the writer: one system instruction and one user message in, one answer out.</summary>
public interface IChatProvider
{
    /// <summary>The provider's name as shown in the trail (e.g. <c>extractive</c>, <c>gemini</c>).</summary>
    string Name { get; }

    /// <exception cref="ProviderException">The provider failed or answered in a form we do not understand.</exception>
    Task<string> CompleteAsync(string systemPrompt, string userPrompt, CancellationToken cancellationToken);
}
