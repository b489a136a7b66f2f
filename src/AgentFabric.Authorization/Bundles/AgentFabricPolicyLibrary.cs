namespace AgentFabric.Authorization.Bundles;

/// <summary>The AgentFabric Rego library (<c>data.agentfabric.*</c>: caller allow-lists by SPIFFE ID pattern,
/// delegation-chain rules, scope narrowing, time windows, and the seed-004 example policy), shipped inside this
/// assembly as a bundle named <see cref="BundleName"/>.</summary>
public static class AgentFabricPolicyLibrary
{
    /// <summary>The bundle's name.</summary>
    public const string BundleName = "agentfabric";

    private const string Prefix = "AgentFabric.Authorization.PolicyLibrary/";

    /// <summary>The library's raw files, read from the embedded resources.</summary>
    public static BundleFiles ReadFiles()
    {
        var assembly = typeof(AgentFabricPolicyLibrary).Assembly;
        var files = new BundleFiles();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            files.Add("/" + resource[Prefix.Length..].Replace('\\', '/'), buffer.ToArray());
        }

        return files;
    }

    /// <summary>The library as a bundle ready to activate.</summary>
    public static PolicyBundle Load() => PolicyBundle.Load(BundleName, ReadFiles());
}
