using AgentFabric.Spiffe;

namespace ResearchAgents.Hosting;

/// <summary>The three agents' SPIFFE IDs (seed 004's table) in one trust domain.</summary>
public sealed record AgentIds(TrustDomain TrustDomain)
{
    public SpiffeId Frontend => SpiffeId.FromPath(TrustDomain, "/ns/ui/sa/frontend");

    public SpiffeId Researcher => SpiffeId.FromPath(TrustDomain, "/ns/agents/sa/researcher");

    public SpiffeId Writer => SpiffeId.FromPath(TrustDomain, "/ns/agents/sa/writer");
}
