using System.Diagnostics;

namespace AgentFabric.PolicyServer.Tests.Envoy.Interop;

/// <summary>A fact that needs Node.js on PATH; skipped, saying so, where there is none.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            return node is not null && node.WaitForExit(10_000) && node.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    /// <summary>Skips when <c>node</c> cannot be run.</summary>
    public NodeFactAttribute()
    {
        if (!Available.Value)
        {
            Skip = "node is not installed: the Envoy ext_authz interop test needs Node.js";
        }
    }
}
