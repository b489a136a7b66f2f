namespace AgentFabric.Browser.Tests;

/// <summary>A fact that needs chromium and the research-agents sample built (its three executables where
/// <c>agentfabric up</c> looks for them); skipped, saying which is missing, otherwise.</summary>
public sealed class ResearchSampleFactAttribute : ChromiumFactAttribute
{
    private static readonly string[] s_projects = ["Frontend", "Researcher", "Writer"];

    public ResearchSampleFactAttribute()
    {
        if (Skip is not null)
        {
            return;
        }

        var missing = s_projects.Where(p => RepositoryPaths.SampleExecutable(p) is null).ToArray();
        if (missing.Length > 0)
        {
            Skip = "research-agents sample skipped: not built (no " +
                string.Join(", ", missing.Select(p => $"samples/ResearchAgents/{p}/bin/Release/net10.0/ResearchAgents.{p}")) +
                "); `dotnet build AgentFabric.slnx -c Release` builds it";
        }
    }
}
