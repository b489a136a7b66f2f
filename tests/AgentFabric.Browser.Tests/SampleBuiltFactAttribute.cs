namespace AgentFabric.Browser.Tests;

/// <summary>A fact that needs the research-agents sample built but no browser; skipped, saying which executable is
/// missing, otherwise.</summary>
public sealed class SampleBuiltFactAttribute : FactAttribute
{
    private static readonly string[] s_projects = ["Frontend", "Researcher", "Writer"];

    public SampleBuiltFactAttribute()
    {
        Skip = NotBuilt();
    }

    /// <summary>Why the sample cannot run (which executables are missing), or null when all three are built.</summary>
    internal static string? NotBuilt()
    {
        var missing = s_projects.Where(p => RepositoryPaths.SampleExecutable(p) is null).ToArray();
        return missing.Length == 0
            ? null
            : "research-agents sample skipped: not built (no " +
                string.Join(", ", missing.Select(p => $"samples/ResearchAgents/{p}/bin/Release/net10.0/ResearchAgents.{p}")) +
                "); `dotnet build AgentFabric.slnx -c Release` builds it";
    }
}
