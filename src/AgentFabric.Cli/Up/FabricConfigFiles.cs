using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFabric.Authorization.Bundles;

namespace AgentFabric.Cli.Up;

/// <summary>
/// The files <c>up</c> generates in its state directory. The server's and the agent's configurations follow from the
/// layout and are rewritten at every <c>up</c>; the policy bundle is the user's to edit, so it is written only when
/// it is not there.
/// </summary>
internal static class FabricConfigFiles
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public static void Write(FabricDirectory dir, FabricLayout layout)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(layout);
        FabricDirectory.WriteAtomically(dir.ServerConfig, ServerJson(dir, layout));
        FabricDirectory.WriteAtomically(dir.AgentConfig, AgentJson(dir, layout));
        WritePolicyBundle(dir);
    }

    /// <summary>The identity server on 127.0.0.1 (seed 003's server.conf keys, as JSON).</summary>
    public static string ServerJson(FabricDirectory dir, FabricLayout layout) => new JsonObject
    {
        ["trust_domain"] = layout.TrustDomain,
        ["bind_address"] = "127.0.0.1",
        ["bind_port"] = layout.Port(FabricChildren.ServerPort),
        ["socket_path"] = dir.AdminSocket,
        ["data_dir"] = dir.ServerData,
        ["health_checks"] = new JsonObject { ["bind_address"] = "127.0.0.1", ["bind_port"] = layout.Port(FabricChildren.ServerHealthPort) },
    }.ToJsonString(s_indented) + "\n";

    /// <summary>The node agent: trusts the server from the bundle <c>up</c> exported; its join token, when it needs
    /// one, comes on the command line (<c>-joinTokenFile</c>), never in this file.</summary>
    public static string AgentJson(FabricDirectory dir, FabricLayout layout) => new JsonObject
    {
        ["agent"] = new JsonObject
        {
            ["trust_domain"] = layout.TrustDomain,
            ["server_address"] = "127.0.0.1",
            ["server_port"] = layout.Port(FabricChildren.ServerPort),
            ["socket_path"] = dir.WorkloadSocket,
            ["data_dir"] = dir.AgentData,
            ["trust_bundle_path"] = dir.BundleFile,
            ["health_checks"] = new JsonObject { ["bind_address"] = "127.0.0.1", ["bind_port"] = layout.Port(FabricChildren.AgentHealthPort) },
        },
    }.ToJsonString(s_indented) + "\n";

    /// <summary>The policy server's bundle: the <c>data.agentfabric</c> library with seed 004's research policy
    /// (<c>data.agentfabric.examples.research.allow</c>), as an OPA bundle directory.</summary>
    private static void WritePolicyBundle(FabricDirectory dir)
    {
        if (Directory.Exists(dir.PolicyBundle))
        {
            return;
        }

        var staging = dir.PolicyBundle + ".tmp";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        foreach (var (path, content) in AgentFabricPolicyLibrary.ReadFiles().Files)
        {
            var target = Path.Combine(staging, path.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, content);
        }

        Directory.Move(staging, dir.PolicyBundle);
    }
}
