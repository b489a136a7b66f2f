namespace ResearchAgents.Hosting;

/// <summary>The sample's rules (samples/ResearchAgents/policy/research.rego, package
/// <c>agentfabric.samples.research</c>), as OPA Data API paths.</summary>
public static class ResearchPolicy
{
    /// <summary>May the caller call this agent (researcher, writer) for this user?</summary>
    public const string Allow = "agentfabric/samples/research/allow";

    /// <summary>May this person ask the frontend a research question?</summary>
    public const string Ask = "agentfabric/samples/research/ask";
}
