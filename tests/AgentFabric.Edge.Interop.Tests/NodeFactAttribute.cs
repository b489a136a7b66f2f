using AgentFabric.Agent.Tests.Infrastructure;

namespace AgentFabric.Edge.Interop.Tests;

/// <summary>A fact that needs Node.js and npm on PATH; skipped, saying so, where either is missing. (xunit 2 cannot skip
/// from inside a running test, so the check is made when the test is discovered.)</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> s_missing = new(() => Runs("node") ? Runs("npm") ? null : "npm" : "node");

    /// <summary>Skips when <c>node</c> or <c>npm</c> cannot be run.</summary>
    public NodeFactAttribute()
    {
        if (s_missing.Value is { } tool)
        {
            Skip = $"SKIPPED: {tool} is not installed; the edge's openid-client/jose interop test needs Node.js and npm";
        }
    }

    private static bool Runs(string program)
    {
        try
        {
            return ExternalProcess.RunAsync(program, ["--version"], TimeSpan.FromSeconds(30)).GetAwaiter().GetResult().ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
