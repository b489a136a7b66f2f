namespace AgentFabric.PolicyServer.Tests;

/// <summary>Bundle directories written to a temporary folder.</summary>
internal static class TestBundles
{
    /// <summary>A bundle owning root <c>app</c>: <c>data.app.answer</c> is a policy echoing its revision from data
    /// (so a torn read would mix two revisions).</summary>
    public static string App(string revision, string parent)
    {
        var dir = Path.Combine(parent, "app-" + revision, "app");
        Directory.CreateDirectory(Path.Combine(dir, "app"));
        File.WriteAllText(Path.Combine(dir, ".manifest"), $$"""{"revision":"{{revision}}","roots":["app"]}""");
        File.WriteAllText(Path.Combine(dir, "app", "data.json"), $$"""{"revision":"{{revision}}"}""");
        File.WriteAllText(Path.Combine(dir, "app", "policy.rego"), $$"""
            package app

            rule_revision := "{{revision}}"

            answer := {"policy": rule_revision, "data": data.app.revision, "user": input.user}
            """);
        return dir;
    }

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "af-pserver-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
