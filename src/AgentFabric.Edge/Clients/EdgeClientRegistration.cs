namespace AgentFabric.Edge.Clients;

/// <summary>What registering a client needs. A client with a secret is confidential; without one it is public and
/// must use the authorization code flow with PKCE.</summary>
public sealed class EdgeClientRegistration
{
    public required string ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public string? DisplayName { get; init; }

    public IReadOnlyList<Uri> RedirectUris { get; init; } = [];

    public IReadOnlyList<Uri> PostLogoutRedirectUris { get; init; } = [];

    /// <summary>Grant types: <c>authorization_code</c>, <c>refresh_token</c>, <c>client_credentials</c>,
    /// <c>urn:ietf:params:oauth:grant-type:token-exchange</c>.</summary>
    public IReadOnlyList<string> GrantTypes { get; init; } = ["authorization_code", "refresh_token"];

    /// <summary>Scopes the client may ask for, besides <c>openid</c>.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = ["profile", "email", "offline_access"];
}
