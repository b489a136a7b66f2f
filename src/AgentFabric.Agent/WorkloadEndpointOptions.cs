using AgentFabric.Agent.Cache;

namespace AgentFabric.Agent;

/// <summary>Settings of the agent's Workload API endpoint.</summary>
public sealed record WorkloadEndpointOptions
{
    /// <summary>Path of the Unix domain socket (SPIRE: socket_path).</summary>
    public required string SocketPath { get; init; }

    /// <summary>How often SVIDs are checked for rotation and entries for removal.</summary>
    public TimeSpan RotationCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Most concurrent HTTP/2 streams one client connection may open (Kestrel's default is 100). Each open watch
    /// (X509Source, JwtSource, a bundle watch) holds a stream for its lifetime, and a process that watches for many
    /// identities, or a sidecar serving many, can exceed 100 on one connection; .NET clients then open more
    /// connections, others queue. The cost of an open stream is a few KB, and callers are local processes.
    /// </summary>
    public int MaxStreamsPerConnection { get; init; } = 1000;

    public WorkloadSvidCacheOptions Cache { get; init; } = new();

    /// <summary>
    /// Why the agent is not ready (null when it is): the socket's <c>grpc.health.v1.Health</c> service answers
    /// NOT_SERVING while it returns a reason, as <c>spire-agent healthcheck -socketPath</c> expects. Null: always SERVING.
    /// </summary>
    public Func<string?>? NotReadyReason { get; init; }
}
