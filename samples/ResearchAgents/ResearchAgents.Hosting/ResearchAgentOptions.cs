using AgentFabric.AspNetCore;

namespace ResearchAgents.Hosting;

/// <summary>How <see cref="ResearchAgentHostingExtensions.AddResearchAgent"/> sets an agent up.</summary>
public sealed class ResearchAgentOptions
{
    /// <summary>Serve SPIFFE mutual TLS on the <c>urls</c> endpoint (researcher, writer); the frontend serves people
    /// over plain HTTP on loopback and only calls out over mTLS.</summary>
    public bool ServeMtls { get; set; } = true;

    /// <summary>Changes to the SDK's workload options after the sample's (tests give static sources here).</summary>
    public Action<SpiffeWorkloadOptions>? Workload { get; set; }
}
