using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using AgentFabric.Rego;
using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Cli.Policy;

/// <summary>Loads an OPA bundle (<c>-b</c>): a directory or a <c>.tar.gz</c> holding <c>.rego</c> modules, data files
/// named <c>data.json</c> or <c>data.yaml</c> placed at their folder's path (other JSON and YAML files are ignored),
/// and an optional <c>.manifest</c> whose <c>roots</c> scope what the bundle may define and whose
/// <c>rego_version</c>/<c>file_rego_versions</c> choose the Rego version of its modules (OPA docs, "Bundle File
/// Format").</summary>
internal static class PolicyBundle
{
    public static void Load(string path, RegoVersion defaultVersion, PolicyFiles into)
    {
        var entries = Directory.Exists(path) ? ReadDirectory(path)
            : File.Exists(path) ? ReadTarball(path)
            : throw new CliException($"{path}: no such file or directory");
        var name = (string relative) => Path.Combine(path, relative.TrimStart('/'));

        var manifest = entries.TryGetValue("/.manifest", out var manifestText)
            ? BundleManifest.Parse(name("/.manifest"), manifestText)
            : BundleManifest.Default;
        manifest.CheckRootsDoNotOverlap(name("/.manifest"));

        Value data = ObjectValue.Empty;
        foreach (var (relative, text) in entries)
        {
            var file = Path.GetFileName(relative);
            var at = relative.Split('/', StringSplitOptions.RemoveEmptyEntries)[..^1];
            if (relative.EndsWith(".rego", StringComparison.Ordinal))
            {
                var module = RegoEngine.ParseModule(name(relative), text, manifest.VersionOf(relative) ?? defaultVersion);
                manifest.CheckModule(module);
                into.AddModule(module);
            }
            else if (file is "data.json" or "data.yaml")
            {
                var doc = PolicyDataFile.Parse(name(relative), text);
                if (at.Length == 0 && doc is not ObjectValue)
                {
                    throw new CliException($"{name(relative)}: data at the root must be an object");
                }

                data = PolicyFiles.Merge(data, PolicyFiles.Wrap(doc, at), name(relative), "data");
            }
        }

        manifest.CheckData(path, data, []);
        into.AddData(path, [], data);
    }

    // Bundle paths are "/"-separated and start with "/", as in a manifest's file_rego_versions.
    private static SortedDictionary<string, string> ReadDirectory(string dir)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            var relative = "/" + Path.GetRelativePath(dir, file).Replace(Path.DirectorySeparatorChar, '/');
            if (IsBundleFile(relative))
            {
                entries[relative] = File.ReadAllText(file);
            }
        }

        return entries;
    }

    private static SortedDictionary<string, string> ReadTarball(string file)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var stream = File.OpenRead(file);
            using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                {
                    continue;
                }

                var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[1..] : entry.Name;
                name = name.StartsWith('/') ? name : "/" + name;
                if (IsBundleFile(name))
                {
                    using var reader = new StreamReader(entry.DataStream, Encoding.UTF8);
                    entries[name] = reader.ReadToEnd();
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new CliException($"{file}: not a bundle directory or .tar.gz file: {e.Message}");
        }

        return entries;
    }

    // The files a bundle is read from; anything else (policy.wasm, .signatures.json, other JSON) is left unread.
    private static bool IsBundleFile(string relative) =>
        relative == "/.manifest" || relative.EndsWith(".rego", StringComparison.Ordinal) ||
        Path.GetFileName(relative) is "data.json" or "data.yaml";

    /// <summary>A bundle's <c>.manifest</c>: the roots it owns and the Rego versions of its files.</summary>
    private sealed record BundleManifest(string[] Roots, RegoVersion? Version, List<(Regex Pattern, RegoVersion Version)> FileVersions)
    {
        public static readonly BundleManifest Default = new([""], null, []);

        public static BundleManifest Parse(string file, string text)
        {
            if (PolicyDataFile.Parse(file, text) is not ObjectValue o)
            {
                throw new CliException($"{file}: the manifest must be a JSON object");
            }

            string[] roots = [""];
            if (o.Get("roots") is { } r)
            {
                roots = r is ArrayValue a && a.Items.ToArray().All(i => i is StringValue)
                    ? [.. a.Items.ToArray().Select(i => ((StringValue)i).Value.Trim('/'))]
                    : throw new CliException($"{file}: roots must be an array of strings");
            }

            var version = o.Get("rego_version") is { } v ? VersionFrom(file, "rego_version", v) : (RegoVersion?)null;
            var fileVersions = new List<(Regex, RegoVersion)>();
            if (o.Get("file_rego_versions") is { } fv)
            {
                if (fv is not ObjectValue fo)
                {
                    throw new CliException($"{file}: file_rego_versions must be an object");
                }

                foreach (var (k, value) in fo)
                {
                    var pattern = ((StringValue)k).Value;
                    fileVersions.Add((Glob(pattern), VersionFrom(file, $"file_rego_versions[\"{pattern}\"]", value)));
                }
            }

            return new BundleManifest(roots, version, fileVersions);
        }

        public RegoVersion? VersionOf(string relative)
        {
            foreach (var (pattern, version) in FileVersions)
            {
                if (pattern.IsMatch(relative))
                {
                    return version;
                }
            }

            return Version;
        }

        // "a/b" and "a/b/c" overlap: two roots of one bundle must not.
        public void CheckRootsDoNotOverlap(string file)
        {
            for (var i = 0; i < Roots.Length; i++)
            {
                for (var j = i + 1; j < Roots.Length; j++)
                {
                    if (Contains(Roots[i], Segments(Roots[j])) || Contains(Roots[j], Segments(Roots[i])))
                    {
                        throw new CliException($"{file}: manifest has overlapped roots: '{Roots[i]}' and '{Roots[j]}'");
                    }
                }
            }
        }

        public void CheckModule(Module module)
        {
            if (!Roots.Any(r => Contains(r, module.Package)))
            {
                throw new CliException(
                    $"manifest roots {RootList} do not permit 'package {string.Join('.', module.Package)}' in module '{module.File}'");
            }
        }

        // Data is permitted at a path some root contains; an object on the way to a root is descended into.
        public void CheckData(string bundle, Value node, string[] path)
        {
            if (Roots.Any(r => Contains(r, path)))
            {
                return;
            }

            if (node is ObjectValue o && Roots.Any(r => IsPrefix(path, Segments(r))))
            {
                foreach (var (k, v) in o)
                {
                    CheckData(bundle, v, [.. path, ((StringValue)k).Value]);
                }

                return;
            }

            throw new CliException(
                $"{bundle}: manifest roots {RootList} do not permit data at path '/{string.Join('/', path)}' (hint: check bundle directory structure)");
        }

        // Go's %v of a []string: [a b].
        private string RootList => $"[{string.Join(' ', Roots)}]";

        private static string[] Segments(string root) => root.Length == 0 ? [] : root.Split('/');

        private static bool Contains(string root, string[] path) => IsPrefix(Segments(root), path);

        private static bool IsPrefix(string[] prefix, string[] path) =>
            prefix.Length <= path.Length && prefix.AsSpan().SequenceEqual(path.AsSpan(0, prefix.Length));

        private static RegoVersion VersionFrom(string file, string field, Value v) => v switch
        {
            NumberValue n when n.TryGetInt64(out var i) && i == 0 => RegoVersion.V0,
            NumberValue n when n.TryGetInt64(out var i) && i == 1 => RegoVersion.V1,
            _ => throw new CliException($"{file}: {field} must be 0 or 1"),
        };

        // "*" stays within one path segment, "**" spans segments.
        private static Regex Glob(string pattern)
        {
            var p = pattern.StartsWith('/') ? pattern : "/" + pattern;
            var re = Regex.Escape(p).Replace(@"\*\*", "\u0001", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal)
                .Replace(@"\?", "[^/]", StringComparison.Ordinal).Replace("\u0001", ".*", StringComparison.Ordinal);
            return new Regex($"^{re}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
    }
}
