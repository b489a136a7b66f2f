namespace AgentFabric.Agent.Node;

/// <summary>How the agent reaches and first trusts its identity server (SPIRE agent.conf names in comments).</summary>
public sealed record ServerConnectionOptions
{
    public required TrustDomain TrustDomain { get; init; }

    /// <summary>server_address.</summary>
    public required string ServerAddress { get; init; }

    /// <summary>server_port.</summary>
    public required int ServerPort { get; init; }

    /// <summary>data_dir: where the node SVID and bundle are kept across restarts.</summary>
    public required string DataDir { get; init; }

    /// <summary>join_token: needed only when no valid node SVID is stored.</summary>
    public string? JoinToken { get; init; }

    /// <summary>trust_bundle_path: PEM roots to trust the server on the first connection.</summary>
    public string? TrustBundlePath { get; init; }

    /// <summary>insecure_bootstrap: trust any server certificate on the first connection (then the bundle it returns).</summary>
    public bool InsecureBootstrap { get; init; }

    /// <summary>Longest wait between reconnection attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often bundles (own and federated) are fetched as a safety net; the server pushes every change on
    /// the entry stream the moment it happens.</summary>
    public TimeSpan BundleRefreshInterval { get; init; } = TimeSpan.FromMinutes(5);
}
