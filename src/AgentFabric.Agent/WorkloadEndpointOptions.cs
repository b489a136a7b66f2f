using AgentFabric.Agent.Cache;

namespace AgentFabric.Agent;

/// <summary>Settings of the agent's Workload API endpoint.</summary>
public sealed record WorkloadEndpointOptions
{
    /// <summary>Path of the Unix domain socket (SPIRE: socket_path).</summary>
    public required string SocketPath { get; init; }

    /// <summary>How often SVIDs are checked for rotation and entries for removal.</summary>
    public TimeSpan RotationCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    public WorkloadSvidCacheOptions Cache { get; init; } = new();
}
