using System.Text.Json.Serialization;
using ResearchAgents.Providers;

namespace ResearchAgents.Hosting.Messages;

/// <summary>The researcher's call to the writer's <c>POST /write</c>: the question and what the search found.</summary>
public sealed record WriteRequest(
    [property: JsonPropertyName("question")] string Question,
    [property: JsonPropertyName("sources")] IReadOnlyList<SearchResult> Sources);
