namespace AgentFabric.Edge.Clients;

/// <summary>A registered OAuth client, as the CLI lists it.</summary>
public sealed record EdgeClient(
    string ClientId,
    string ClientType,
    string? DisplayName,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> GrantTypes,
    IReadOnlyList<string> Scopes);
