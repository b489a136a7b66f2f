namespace ResearchAgents.Providers.Offline;

/// <summary>The documents shipped with the sample (embedded <c>Offline/Corpus/*.md</c>): agent security, SPIFFE and
/// OAuth topics, each "# Title" then its text. Their URLs are URNs, since they live nowhere on the web.</summary>
internal static class OfflineCorpus
{
    private const string Prefix = "ResearchAgents.Corpus/";

    private static readonly Lazy<IReadOnlyList<SearchResult>> Loaded = new(Load);

    public static IReadOnlyList<SearchResult> Documents => Loaded.Value;

    /// <summary>A document from its Markdown text: the first line "# Title", the rest as content.</summary>
    public static SearchResult Parse(string slug, string markdown)
    {
        var text = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var first = newline < 0 ? text : text[..newline];
        if (!first.StartsWith("# ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"offline corpus: {slug} does not start with a \"# Title\" line");
        }

        var content = newline < 0 ? "" : text[(newline + 1)..].Trim();
        return new SearchResult(first[2..].Trim(), new Uri("urn:agentfabric:research-corpus:" + slug), content);
    }

    private static IReadOnlyList<SearchResult> Load()
    {
        var assembly = typeof(OfflineCorpus).Assembly;
        var documents = new List<SearchResult>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            documents.Add(Parse(Path.GetFileNameWithoutExtension(name[Prefix.Length..]), reader.ReadToEnd()));
        }

        return documents;
    }
}
