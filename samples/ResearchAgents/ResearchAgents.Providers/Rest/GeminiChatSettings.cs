namespace ResearchAgents.Providers.Rest;

/// <summary>How to reach Google's Generative Language API (environment: <c>GEMINI_API_KEY</c>, optional
/// <c>GEMINI_MODEL</c> and <c>GEMINI_BASE_URL</c>).</summary>
public sealed record GeminiChatSettings
{
    public static readonly Uri DefaultBaseAddress = new("https://generativelanguage.googleapis.com/");

    /// <summary>A stable (pinned, not preview) Flash model: fast and inexpensive for a short summary.</summary>
    public const string DefaultModel = "gemini-3.5-flash";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The API key, sent as the <c>x-goog-api-key</c> header (never in the URL, where logs would keep it).</summary>
    public required string ApiKey { get; init; }

    /// <summary>The model code, e.g. <c>gemini-3.5-flash</c> (a leading <c>models/</c> is accepted).</summary>
    public string Model { get; init; } = DefaultModel;

    /// <summary>Where the API lives; <c>v1beta/models/{model}:generateContent</c> is appended.</summary>
    public Uri BaseAddress { get; init; } = DefaultBaseAddress;

    /// <summary>The longest an answer may take, from sending to the last byte.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}
