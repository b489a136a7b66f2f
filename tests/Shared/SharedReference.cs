namespace AgentFabric.Testing;

/// <summary>Finds the shared reference folder (<c>../shared</c> next to the repository, or /work/shared) without copying
/// anything from it into the repository.</summary>
internal static class SharedReference
{
    public static string? Find(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        string fallback = Path.Combine("/work/shared", relativePath);
        return File.Exists(fallback) ? fallback : null;
    }
}
