using System.Text.RegularExpressions;

namespace AgentFabric.Authorization.Bundles;

/// <summary>OPA's bundle globs: <c>*</c> stays within a path segment, <c>**</c> spans segments, <c>?</c> is one
/// character; a pattern without a leading <c>/</c> is rooted.</summary>
internal static class BundleGlob
{
    public static bool IsMatch(string pattern, string path)
    {
        var p = pattern.StartsWith('/') ? pattern : "/" + pattern;
        var re = Regex.Escape(p).Replace(@"\*\*", "\u0001", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal).Replace("\u0001", ".*", StringComparison.Ordinal);
        var normalised = path.StartsWith('/') ? path : "/" + path;
        return Regex.IsMatch(normalised, $"^{re}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }
}
