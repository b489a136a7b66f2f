namespace ResearchAgents.Providers.Offline;

/// <summary>Search with no internet: BM25 over the documents shipped with the sample (or given ones, in tests).</summary>
public sealed class OfflineSearchProvider : ISearchProvider
{
    private readonly IReadOnlyList<SearchResult> _documents;
    private readonly Bm25Index _index;

    /// <summary>Searches the shipped corpus.</summary>
    public OfflineSearchProvider()
        : this(OfflineCorpus.Documents)
    {
    }

    /// <summary>Searches <paramref name="documents"/> (title and content are indexed).</summary>
    public OfflineSearchProvider(IReadOnlyList<SearchResult> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        _documents = documents;
        _index = new Bm25Index(documents.Select(d => d.Title + "\n" + d.Content));
    }

    public string Name => "offline";

    /// <summary>The documents sharing a word with the query, best first; none when nothing matches.</summary>
    /// <exception cref="ArgumentException">The query is empty or <paramref name="maxResults"/> is not positive.</exception>
    public Task<IReadOnlyList<SearchResult>> SearchAsync(string query, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<SearchResult> results = _index.Rank(query).Take(maxResults).Select(r => _documents[r.Index]).ToList();
        return Task.FromResult(results);
    }
}
