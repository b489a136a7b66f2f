namespace AgentFabric.Authorization.Bundles;

/// <summary>Root arithmetic: roots are <c>/</c>-separated path prefixes of <c>data</c>.</summary>
internal static class BundleRoots
{
    public static string[] Segments(string root) => root.Length == 0 ? [] : root.Split('/');

    public static bool IsPrefix(IReadOnlyList<string> prefix, IReadOnlyList<string> path) =>
        prefix.Count <= path.Count && prefix.SequenceEqual(path.Take(prefix.Count), StringComparer.Ordinal);

    public static bool Overlap(string a, string b) => IsPrefix(Segments(a), Segments(b)) || IsPrefix(Segments(b), Segments(a));
}
