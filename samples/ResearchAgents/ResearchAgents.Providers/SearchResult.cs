namespace ResearchAgents.Providers;

/// <summary>One search hit: where it is and the text the researcher passes on.</summary>
public sealed record SearchResult(string Title, Uri Url, string Content);
