namespace ResearchAgents.Providers;

/// <summary>Web search for the researcher: the documents most relevant to a question.</summary>
public interface ISearchProvider
{
    /// <summary>The provider's name as shown in the trail (e.g. <c>offline</c>, <c>tavily</c>).</summary>
    string Name { get; }

    /// <summary>At most <paramref name="maxResults"/> results, best first.</summary>
    /// <exception cref="ProviderException">The provider failed or answered in a form we do not understand.</exception>
    Task<IReadOnlyList<SearchResult>> SearchAsync(string query, int maxResults, CancellationToken cancellationToken);
}
