using AgentFabric.Agent.Tests.Infrastructure;

namespace AgentFabric.Edge.Interop.Tests;

/// <summary>The node scripts in tests/interop/edge and their npm dependencies, installed from the committed
/// package-lock.json (<c>npm ci</c>: the npm registry only, exact versions) when node_modules is absent.</summary>
internal static class InteropScripts
{
    private static readonly SemaphoreSlim s_install = new(1, 1);

    /// <summary>tests/interop/edge, found above the test's output directory.</summary>
    public static string Directory { get; } = Find();

    /// <summary>Installs the dependencies once; null when they are there, else why <c>npm ci</c> failed (no registry
    /// reachable, say), for the test to report as skipped.</summary>
    public static async Task<string?> InstallAsync()
    {
        await s_install.WaitAsync();
        try
        {
            if (System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "openid-client")))
            {
                return null;
            }

            var (code, stdout, stderr) = await ExternalProcess.RunAsync(
                "npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(3), Directory);
            return code == 0 ? null : $"npm ci failed in {Directory} (is the npm registry reachable?), exit {code}: {stdout} {stderr}";
        }
        finally
        {
            s_install.Release();
        }
    }

    /// <summary>Runs <c>node script args…</c> in the scripts' directory.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string script, params string[] arguments) =>
        ExternalProcess.RunAsync("node", [script, .. arguments], TimeSpan.FromSeconds(60), Directory);

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "tests", "interop", "edge");
            if (File.Exists(Path.Combine(candidate, "package-lock.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/interop/edge (with its package-lock.json) was not found above " + AppContext.BaseDirectory);
    }
}
