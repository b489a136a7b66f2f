namespace ResearchAgents.Providers.Rest;

/// <summary>What an API's error body says: its machine-readable code, if any, and its message.</summary>
internal sealed record ApiError(string? Code, string? Message);
