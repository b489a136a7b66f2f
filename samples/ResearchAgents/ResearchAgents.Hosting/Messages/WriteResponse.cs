using System.Text.Json.Serialization;
using ResearchAgents.Hosting.Trail;

namespace ResearchAgents.Hosting.Messages;

/// <summary>The writer's answer, the chat provider that wrote it, and the writer's hop.</summary>
public sealed record WriteResponse(
    [property: JsonPropertyName("answer")] string Answer,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("trail")] IReadOnlyList<Hop> Trail);
