using ResearchAgents.Hosting.Trail;

namespace ResearchAgents.Frontend;

/// <summary>What the page shows after a question or the denied demo call: the answer (null when there is none), the
/// trail of hops, and a sentence about what happened when it did not go through.</summary>
public sealed record ResearchOutcome(string? Question, string? Answer, IReadOnlyList<Hop> Trail, string? Message)
{
    /// <summary>Whether any hop was denied.</summary>
    public bool Denied => Trail.Any(h => h.Decision == Hop.Deny);
}
