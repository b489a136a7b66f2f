namespace ResearchAgents.Providers.Rest;

/// <summary>How to reach an OpenAI-compatible chat completions endpoint: OpenAI itself, or a local server such as
/// Ollama (<c>http://127.0.0.1:11434/v1</c>). Environment: <c>OPENAI_BASE_URL</c>, <c>OPENAI_MODEL</c>, optional
/// <c>OPENAI_API_KEY</c>.</summary>
public sealed record OpenAiCompatibleChatSettings
{
    /// <summary>Local models on a CPU can take minutes for a paragraph.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The API's base, including its version segment (e.g. <c>https://api.openai.com/v1</c>);
    /// <c>chat/completions</c> is appended.</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>The model, e.g. <c>gpt-4o-mini</c> or, for Ollama, <c>llama3.2</c>.</summary>
    public required string Model { get; init; }

    /// <summary>Sent as <c>Authorization: Bearer</c> when present; local servers such as Ollama need none.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The longest an answer may take, from sending to the last byte.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}
