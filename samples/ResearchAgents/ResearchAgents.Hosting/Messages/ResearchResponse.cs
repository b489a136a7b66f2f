using System.Text.Json.Serialization;
using ResearchAgents.Hosting.Trail;
using ResearchAgents.Providers;

namespace ResearchAgents.Hosting.Messages;

/// <summary>The researcher's answer: the writer's text (null when the writer refused or failed), the sources it was
/// written from, the providers used, and the trail from the researcher on (its own hop first).</summary>
public sealed record ResearchResponse(
    [property: JsonPropertyName("answer")] string? Answer,
    [property: JsonPropertyName("sources")] IReadOnlyList<SearchResult> Sources,
    [property: JsonPropertyName("search_provider")] string SearchProvider,
    [property: JsonPropertyName("chat_provider")] string? ChatProvider,
    [property: JsonPropertyName("trail")] IReadOnlyList<Hop> Trail);
