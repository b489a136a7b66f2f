namespace AgentFabric.Authorization.Bundles;

/// <summary>The raw files of a bundle by path (<c>/</c>-separated, starting with <c>/</c>, as a manifest's
/// <c>file_rego_versions</c> spells them), before anything is parsed.</summary>
public sealed class BundleFiles
{
    private readonly SortedDictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    /// <summary>Raw files read from <paramref name="location"/> (a directory or archive path), or from no place on
    /// disk (a download, an embedded resource) when it is null.</summary>
    public BundleFiles(string? location = null) => Location = location;

    /// <summary>The directory or archive the files were read from; null when they came from no place on disk.</summary>
    public string? Location { get; }

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

    /// <summary>How errors and module names spell the file at bundle path <paramref name="path"/>: its path on disk
    /// under <see cref="Location"/>, as <c>opa</c> names the files of a bundle it loaded from a path; the bundle path
    /// itself otherwise.</summary>
    public string NameOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Location is null ? path : Path.Combine(Location, path.TrimStart('/'));
    }

    internal bool Contains(string path) => _files.ContainsKey(path);
}
