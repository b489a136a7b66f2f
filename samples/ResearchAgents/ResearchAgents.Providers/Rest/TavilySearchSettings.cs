namespace ResearchAgents.Providers.Rest;

/// <summary>How to reach Tavily's search API (environment: <c>TAVILY_API_KEY</c>, optional <c>TAVILY_BASE_URL</c>).</summary>
public sealed record TavilySearchSettings
{
    public static readonly Uri DefaultBaseAddress = new("https://api.tavily.com/");

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The API key (<c>tvly-…</c>), sent as <c>Authorization: Bearer</c>.</summary>
    public required string ApiKey { get; init; }

    /// <summary>Where the API lives; <c>search</c> is appended.</summary>
    public Uri BaseAddress { get; init; } = DefaultBaseAddress;

    /// <summary>The longest a search may take, from sending to the last byte of the answer.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}
