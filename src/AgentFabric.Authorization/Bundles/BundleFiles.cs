namespace AgentFabric.Authorization.Bundles;

/// <summary>The raw files of a bundle by path (<c>/</c>-separated, starting with <c>/</c>, as a manifest's
/// <c>file_rego_versions</c> spells them), before anything is parsed.</summary>
public sealed class BundleFiles
{
    private readonly SortedDictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    /// <summary>The files in ordinal path order.</summary>
    public IReadOnlyDictionary<string, byte[]> Files => _files;

    /// <summary>Adds a file; throws <see cref="ArgumentException"/> for a duplicate.</summary>
    public void Add(string path, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!_files.TryAdd(path, content))
        {
            throw new ArgumentException($"duplicate bundle file {path}", nameof(path));
        }
    }

    internal bool Contains(string path) => _files.ContainsKey(path);
}
