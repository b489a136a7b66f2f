using System.Formats.Tar;
using System.IO.Compression;

namespace AgentFabric.Authorization.Bundles;

/// <summary>Reads a bundle's raw files from a directory or a gzipped tarball (OPA docs, "Bundle File Format"),
/// refusing paths that escape the bundle and files over the <see cref="BundleLimits"/>.</summary>
public static class BundleReader
{
    /// <summary>Every regular file under <paramref name="directory"/>.</summary>
    public static BundleFiles ReadDirectory(string name, string directory, BundleLimits? limits = null)
    {
        limits ??= BundleLimits.Default;
        if (!Directory.Exists(directory))
        {
            throw new BundleException(name, BundleErrorReason.InvalidArchive, $"{directory}: no such directory");
        }

        var files = new BundleFiles(directory);
        var total = 0L;
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = "/" + Path.GetRelativePath(directory, file).Replace(Path.DirectorySeparatorChar, '/');
            var info = new FileInfo(file);
            if (info.LinkTarget is not null)
            {
                // A link could point anywhere on the machine: a bundle is only what lies inside its directory.
                throw new BundleException(name, BundleErrorReason.PathTraversal, $"{relative}: links are not allowed in a bundle");
            }

            var length = info.Length;
            CheckSize(name, relative, length, ref total, files.Files.Count + 1, limits);
            try
            {
                files.Add(relative, File.ReadAllBytes(file));
            }
            catch (IOException e)
            {
                throw new BundleException(name, BundleErrorReason.InvalidArchive, $"{relative}: {e.Message}", e);
            }
        }

        return files;
    }

    /// <summary>Every regular file of a <c>.tar.gz</c> stream; directories are skipped, links refused.
    /// <paramref name="location"/> is the archive's path on disk, when it has one (<see cref="BundleFiles.Location"/>).</summary>
    public static BundleFiles ReadTarGz(string name, Stream stream, BundleLimits? limits = null, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= BundleLimits.Default;
        var files = new BundleFiles(location);
        var total = 0L;
        try
        {
            using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is TarEntryType.Directory)
                {
                    continue;
                }

                var path = NormalisePath(name, entry.Name);
                if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
                {
                    throw new BundleException(name, BundleErrorReason.PathTraversal, $"{path}: links are not allowed in a bundle");
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                {
                    continue;
                }

                CheckSize(name, path, entry.Length, ref total, files.Files.Count + 1, limits);
                var content = ReadAll(name, path, entry.DataStream, entry.Length);
                if (files.Contains(path))
                {
                    throw new BundleException(name, BundleErrorReason.InvalidArchive, $"{path}: appears twice in the archive");
                }

                files.Add(path, content);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new BundleException(name, BundleErrorReason.InvalidArchive,
                location is null ? $"not a gzipped tarball: {e.Message}" : $"{location}: not a bundle directory or .tar.gz file: {e.Message}", e);
        }

        return files;
    }

    /// <summary>A <c>.tar.gz</c> file, or a directory.</summary>
    public static BundleFiles ReadPath(string name, string path, BundleLimits? limits = null)
    {
        if (Directory.Exists(path))
        {
            return ReadDirectory(name, path, limits);
        }

        if (!File.Exists(path))
        {
            throw new BundleException(name, BundleErrorReason.InvalidArchive, $"{path}: no such file or directory");
        }

        using var stream = File.OpenRead(path);
        return ReadTarGz(name, stream, limits, path);
    }

    // "./a/b.rego", "a/b.rego" and "/a/b.rego" are the same file; ".." anywhere escapes the bundle.
    private static string NormalisePath(string name, string entryName)
    {
        var segments = entryName.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        if (segments.Length == 0 || segments.Contains(".."))
        {
            throw new BundleException(name, BundleErrorReason.PathTraversal, $"tar entry '{entryName}' escapes the bundle");
        }

        return "/" + string.Join('/', segments);
    }

    private static void CheckSize(string name, string path, long length, ref long total, int count, BundleLimits limits)
    {
        if (count > limits.MaxFiles)
        {
            throw new BundleException(name, BundleErrorReason.TooLarge, $"more than {limits.MaxFiles} files");
        }

        if (length > limits.MaxFileBytes)
        {
            throw new BundleException(name, BundleErrorReason.TooLarge, $"{path}: {length} bytes exceeds the file size limit of {limits.MaxFileBytes}");
        }

        total += length;
        if (total > limits.MaxTotalBytes)
        {
            throw new BundleException(name, BundleErrorReason.TooLarge, $"{path}: the bundle exceeds the size limit of {limits.MaxTotalBytes} bytes");
        }
    }

    private static byte[] ReadAll(string name, string path, Stream? data, long length)
    {
        if (data is null || length == 0)
        {
            return [];
        }

        var buffer = new byte[length];
        data.ReadExactly(buffer);
        if (data.ReadByte() != -1)
        {
            throw new BundleException(name, BundleErrorReason.InvalidArchive, $"{path}: longer than its tar header says");
        }

        return buffer;
    }
}
