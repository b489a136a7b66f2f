namespace AgentFabric.Browser.Tests;

/// <summary>Where things are in the repository the tests were built from: its root (the folder with
/// AgentFabric.slnx, found above the test's output folder), the sample, and where screenshots go.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentFabric.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no AgentFabric.slnx above {AppContext.BaseDirectory}: the browser tests run from the repository's build output");
    });

    public static string Root => s_root.Value;

    /// <summary>The research-agents sample, as <c>agentfabric up --samples</c> takes it.</summary>
    public static string Samples => Path.Combine(Root, "samples", "ResearchAgents");

    /// <summary>Screenshots: the test project's TestResults/screenshots (ignored by git), made on first use.</summary>
    public static string Screenshots => Directory.CreateDirectory(Path.Combine(Root, "tests", "AgentFabric.Browser.Tests", "TestResults", "screenshots")).FullName;

    /// <summary>The built executable of one of the sample's agents (Release, else Debug, as <c>up</c> looks for
    /// it), or null when it is not built.</summary>
    public static string? SampleExecutable(string project) =>
        new[] { "Release", "Debug" }
            .Select(c => Path.Combine(Samples, project, "bin", c, "net10.0", "ResearchAgents." + project))
            .FirstOrDefault(File.Exists);
}
