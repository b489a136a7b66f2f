using System.Text;
using System.Text.Json;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.Bundles;

/// <summary>A parsed, verified OPA bundle ready to activate: its manifest, its modules (parsed once to check them) and
/// its data (OPA docs, "Bundle File Format": <c>*.rego</c> anywhere, <c>data.json</c>/<c>data.yaml</c> at their
/// folder's path, other files ignored).</summary>
public sealed class PolicyBundle
{
    private PolicyBundle(string name, BundleManifest manifest, IReadOnlyList<RegoModuleSource> modules, ObjectValue data)
    {
        Name = name;
        Manifest = manifest;
        Modules = modules;
        Data = data;
    }

    /// <summary>The bundle's name (the key of its configuration, e.g. <c>authz</c>).</summary>
    public string Name { get; }

    /// <summary>The manifest (<see cref="BundleManifest.Default"/> when the bundle has none).</summary>
    public BundleManifest Manifest { get; }

    /// <summary>The modules, named by their bundle path, with their Rego version.</summary>
    public IReadOnlyList<RegoModuleSource> Modules { get; }

    /// <summary>The data documents merged into one object.</summary>
    public ObjectValue Data { get; }

    /// <summary>Verifies and parses raw files; throws <see cref="BundleException"/> with the reason.</summary>
    public static PolicyBundle Load(string name, BundleFiles files, BundleLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        options ??= BundleLoadOptions.Default;
        BundleSignatureVerifier.Verify(name, files, options.Verification);
        var manifest = files.Files.TryGetValue("/.manifest", out var manifestBytes) ? BundleManifest.Parse(name, manifestBytes, files.NameOf("/.manifest")) : BundleManifest.Default;

        var modules = new List<RegoModuleSource>();
        var data = ObjectValue.Empty;
        foreach (var (path, content) in files.Files)
        {
            var fileName = Path.GetFileName(path);
            var shownAs = files.NameOf(path);
            var folder = path.Split('/', StringSplitOptions.RemoveEmptyEntries)[..^1];
            if (path.EndsWith(".rego", StringComparison.Ordinal))
            {
                modules.Add(ParseModule(name, manifest, path, shownAs, Text(name, shownAs, content), options));
            }
            else if (fileName is "data.json" or "data.yaml")
            {
                var doc = ParseData(name, path, shownAs, content);
                if (OutsideRoots(manifest, folder, doc) is { } outside)
                {
                    // opa's wording, naming the bundle and the first path no root owns.
                    throw new BundleException(name, BundleErrorReason.OutsideRoots,
                        $"{(files.Location is null ? "" : files.Location + ": ")}manifest roots {RootList(manifest)} do not permit data at path '/{string.Join('/', outside)}' (hint: check bundle directory structure)");
                }

                data = BundleData.Merge(name, shownAs, data, BundleData.Wrap(doc, folder));
            }
        }

        return new PolicyBundle(name, manifest, modules, data);
    }

    /// <summary>Reads and loads a directory or <c>.tar.gz</c> file.</summary>
    public static PolicyBundle LoadPath(string name, string path, BundleLoadOptions? options = null) =>
        Load(name, BundleReader.ReadPath(name, path, (options ?? BundleLoadOptions.Default).Limits), options);

    private static RegoModuleSource ParseModule(string name, BundleManifest manifest, string path, string fileName, string text, BundleLoadOptions options)
    {
        var version = manifest.VersionOf(path, options.DefaultRegoVersion);
        if (!RegoEngine.TryParseModule(fileName, text, version, out var module, out var error))
        {
            throw new BundleException(name, BundleErrorReason.ParseError, error!.Message, error);
        }

        if (!manifest.Owns(module!.Package))
        {
            throw new BundleException(name, BundleErrorReason.OutsideRoots,
                $"manifest roots {RootList(manifest)} do not permit 'package {string.Join('.', module.Package)}' in module '{fileName}'");
        }

        return new RegoModuleSource(fileName, text, version);
    }

    // The first path of a document placed at folder that no root owns, or null. Data above a root is allowed when
    // every key leads under a root (a root file {"a": {...}} with root "a").
    private static string[]? OutsideRoots(BundleManifest manifest, string[] folder, Value doc)
    {
        if (manifest.Owns(folder))
        {
            return null;
        }

        if (doc is not ObjectValue o || !LeadsToRoot(manifest, folder))
        {
            return folder;
        }

        foreach (var (k, v) in o)
        {
            if (OutsideRoots(manifest, [.. folder, ((StringValue)k).Value], v) is { } outside)
            {
                return outside;
            }
        }

        return null;
    }

    // As Go prints a list of strings: [a b].
    private static string RootList(BundleManifest manifest) => $"[{string.Join(' ', manifest.Roots)}]";

    private static bool LeadsToRoot(BundleManifest manifest, IReadOnlyList<string> path) =>
        manifest.Roots.Any(r => BundleRoots.IsPrefix(path, BundleRoots.Segments(r)));

    private static Value ParseData(string name, string path, string fileName, byte[] content)
    {
        try
        {
            var doc = path.EndsWith(".yaml", StringComparison.Ordinal) ? RegoYaml.Parse(Text(name, fileName, content)) : Value.ParseJson(content);
            return path == "/data.json" || path == "/data.yaml"
                ? doc as ObjectValue ?? throw new BundleException(name, BundleErrorReason.InvalidData, $"{fileName}: data at the root must be an object")
                : doc;
        }
        catch (Exception e) when (e is JsonException or RegoYamlException)
        {
            throw new BundleException(name, BundleErrorReason.InvalidData, $"{fileName}: {e.Message}", e);
        }
    }

    private static string Text(string name, string path, byte[] content)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException e)
        {
            throw new BundleException(name, BundleErrorReason.InvalidArchive, $"{path}: not UTF-8 text", e);
        }
    }
}
