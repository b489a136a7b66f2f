using ResearchAgents.Hosting.Trail;
using ResearchAgents.Providers;

namespace ResearchAgents.Frontend;

/// <summary>What the page shows after a question or the denied demo call: the answer (null when there is none), the
/// trail of hops, a sentence about what happened when it did not go through, and the sources and providers used.</summary>
public sealed record ResearchOutcome(string? Question, string? Answer, IReadOnlyList<Hop> Trail, string? Message)
{
    /// <summary>The documents the answer was written from.</summary>
    public IReadOnlyList<SearchResult> Sources { get; init; } = [];

    /// <summary>The search and chat providers' names (<c>offline</c>, <c>tavily</c>, <c>extractive</c>...), when known.</summary>
    public string? Providers { get; init; }

    /// <summary>Whether any hop was denied.</summary>
    public bool Denied => Trail.Any(h => h.Decision == Hop.Deny);
}
