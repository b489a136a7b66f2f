namespace AgentFabric.Fuzz;

/// <summary>Every target, by name.</summary>
public static class FuzzTargets
{
    /// <summary>The targets in the order <c>all</c> runs them.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        SpiffeTargets.SpiffeId,
        SpiffeTargets.JwtSvid,
        SpiffeTargets.X509SvidDer,
        SpiffeTargets.BundleJson,
        RegoTargets.Source,
        RegoTargets.Decoders,
    ];

    /// <summary>The target named <paramref name="name"/>, or null.</summary>
    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
