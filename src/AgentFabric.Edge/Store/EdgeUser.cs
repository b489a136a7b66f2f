namespace AgentFabric.Edge.Store;

/// <summary>A person who signs in at the edge's login page.</summary>
public sealed class EdgeUser
{
    /// <summary>The stable subject identifier (<c>sub</c>, OIDC Core §2): a random id, never the user name.</summary>
    public string Id { get; set; } = "";

    public string UserName { get; set; } = "";

    public string? Email { get; set; }

    public string? DisplayName { get; set; }

    /// <summary>The ASP.NET Core Identity password hash (PBKDF2, version 3 format).</summary>
    public string PasswordHash { get; set; } = "";

    public int FailedLogins { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public DateTimeOffset Created { get; set; }
}
