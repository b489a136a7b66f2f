using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFabric.Authorization.Bundles;

namespace AgentFabric.Cli.Up;

/// <summary>
/// The files <c>up</c> generates in its state directory. The server's, the agent's and the edge's configurations
/// follow from the layout and are rewritten at every <c>up</c>; the policy bundle is the user's to edit, so it is
/// written only when it is not there, except the sample's policy files, which are the sample's and copied afresh.
/// </summary>
internal static class FabricConfigFiles
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>Where in the policy bundle the sample's Rego goes: under the library's manifest root
    /// (<c>agentfabric</c>), where the sample's packages (<c>agentfabric.samples.*</c>) live.</summary>
    public static readonly string SamplePolicyFolder = Path.Combine("agentfabric", "samples", "research");

    /// <param name="samples">The sample agents' folder: its <c>policy/*.rego</c> are copied into the bundle.</param>
    /// <returns>How many sample policy files were copied (0 when the sample ships none).</returns>
    public static int Write(FabricDirectory dir, FabricLayout layout, string samples)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(samples);
        FabricDirectory.WriteAtomically(dir.ServerConfig, ServerJson(dir, layout));
        FabricDirectory.WriteAtomically(dir.AgentConfig, AgentJson(dir, layout));
        FabricDirectory.WriteAtomically(dir.EdgeConfig, FabricEdge.ConfigJson(dir, layout));
        WritePolicyBundle(dir);
        return CopySamplePolicy(dir, Path.Combine(samples, "policy"));
    }

    /// <summary>Replaces the bundle's sample folder with the sample's <c>*.rego</c> (tests included: `policy test`
    /// runs them; the server only loads them), so a file the sample dropped does not linger.</summary>
    private static int CopySamplePolicy(FabricDirectory dir, string source)
    {
        var files = Directory.Exists(source) ? Directory.GetFiles(source, "*.rego") : [];
        var target = Path.Combine(dir.PolicyBundle, SamplePolicyFolder);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        if (files.Length == 0)
        {
            return 0;
        }

        Directory.CreateDirectory(target);
        foreach (var file in files)
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return files.Length;
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
