using System.Text.Json.Serialization;

namespace ResearchAgents.Hosting.Messages;

/// <summary>The frontend's call to the researcher's <c>POST /research</c>.</summary>
public sealed record ResearchRequest([property: JsonPropertyName("question")] string Question);
