using System.Text.Json;
using AgentFabric.Rego;
using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.Bundles;

/// <summary>A bundle's <c>.manifest</c> (OPA docs, "Bundle File Format"): revision, the roots the bundle owns, the Rego
/// versions of its files, and free metadata.</summary>
public sealed record BundleManifest
{
    /// <summary>No manifest: revision "", one root "" (owns everything), versions from the loader.</summary>
    public static readonly BundleManifest Default = new();

    /// <summary>The bundle's revision; empty when not given.</summary>
    public string Revision { get; init; } = "";

    /// <summary>Path prefixes (<c>a/b</c>) under which the bundle's policies and data lie; <c>""</c> owns everything.</summary>
    public IReadOnlyList<string> Roots { get; init; } = [""];

    /// <summary>The Rego version of the bundle's modules (<c>rego_version</c>); null: the loader's default.</summary>
    public RegoVersion? RegoVersion { get; init; }

    /// <summary>Per-file overrides (<c>file_rego_versions</c>): glob pattern and version.</summary>
    public IReadOnlyList<KeyValuePair<string, RegoVersion>> FileRegoVersions { get; init; } = [];

    /// <summary>The free <c>metadata</c> object (empty when absent).</summary>
    public ObjectValue Metadata { get; init; } = ObjectValue.Empty;

    /// <summary>Parses the manifest's JSON; throws <see cref="BundleException"/> (<see cref="BundleErrorReason.InvalidManifest"/>
    /// or <see cref="BundleErrorReason.RootOverlap"/>).</summary>
    /// <remarks>Messages start with <paramref name="file"/> and word each rule as <c>opa</c> does.</remarks>
    public static BundleManifest Parse(string bundle, byte[] json, string file = "/.manifest")
    {
        Value parsed;
        try
        {
            parsed = Value.ParseJson(json);
        }
        catch (JsonException e)
        {
            throw Invalid(bundle, file, $"not JSON: {e.Message}");
        }

        if (parsed is not ObjectValue o)
        {
            throw Invalid(bundle, file, "the manifest must be a JSON object");
        }

        var manifest = new BundleManifest
        {
            Revision = o.Get("revision") switch
            {
                null => "",
                StringValue s => s.Value,
                _ => throw Invalid(bundle, file, "revision must be a string"),
            },
            Roots = o.Get("roots") switch
            {
                null => [""],
                ArrayValue a when a.Items.ToArray().All(i => i is StringValue) => [.. a.Items.ToArray().Select(i => ((StringValue)i).Value.Trim('/'))],
                _ => throw Invalid(bundle, file, "roots must be an array of strings"),
            },
            RegoVersion = o.Get("rego_version") is { } v ? VersionFrom(bundle, file, "rego_version", v) : null,
            FileRegoVersions = o.Get("file_rego_versions") switch
            {
                null => [],
                ObjectValue fo => [.. fo.Select(kv => new KeyValuePair<string, RegoVersion>(((StringValue)kv.Key).Value, VersionFrom(bundle, file, $"file_rego_versions[\"{((StringValue)kv.Key).Value}\"]", kv.Value)))],
                _ => throw Invalid(bundle, file, "file_rego_versions must be an object"),
            },
            Metadata = o.Get("metadata") switch
            {
                null => ObjectValue.Empty,
                ObjectValue m => m,
                _ => throw Invalid(bundle, file, "metadata must be an object"),
            },
        };
        manifest.CheckRootsDoNotOverlap(bundle, file);
        return manifest;
    }

    /// <summary>The version of the module at <paramref name="path"/>: the first matching <c>file_rego_versions</c>
    /// pattern, else <c>rego_version</c>, else <paramref name="fallback"/>.</summary>
    public RegoVersion VersionOf(string path, RegoVersion fallback)
    {
        foreach (var (pattern, version) in FileRegoVersions)
        {
            if (BundleGlob.IsMatch(pattern, path))
            {
                return version;
            }
        }

        return RegoVersion ?? fallback;
    }

    /// <summary>Whether <paramref name="path"/> (segments) lies under one of the roots.</summary>
    public bool Owns(IReadOnlyList<string> path) => Roots.Any(r => BundleRoots.IsPrefix(BundleRoots.Segments(r), path));

    /// <summary>Whether any root of this manifest overlaps any root of <paramref name="other"/>.</summary>
    public bool Overlaps(BundleManifest other, out string mine, out string theirs)
    {
        foreach (var a in Roots)
        {
            foreach (var b in other.Roots)
            {
                if (BundleRoots.Overlap(a, b))
                {
                    (mine, theirs) = (a, b);
                    return true;
                }
            }
        }

        (mine, theirs) = ("", "");
        return false;
    }

    // OPA: "roots ... must not overlap" ("a/b" and "a/b/c" overlap).
    private void CheckRootsDoNotOverlap(string bundle, string file)
    {
        for (var i = 0; i < Roots.Count; i++)
        {
            for (var j = i + 1; j < Roots.Count; j++)
            {
                if (BundleRoots.Overlap(Roots[i], Roots[j]))
                {
                    throw new BundleException(bundle, BundleErrorReason.RootOverlap, $"{file}: manifest has overlapped roots: '{Roots[i]}' and '{Roots[j]}'");
                }
            }
        }
    }

    private static RegoVersion VersionFrom(string bundle, string file, string field, Value v) => v switch
    {
        NumberValue n when n.TryGetInt64(out var i) && i == 0 => Rego.Ast.RegoVersion.V0,
        NumberValue n when n.TryGetInt64(out var i) && i == 1 => Rego.Ast.RegoVersion.V1,
        _ => throw Invalid(bundle, file, $"{field} must be 0 or 1"),
    };

    private static BundleException Invalid(string bundle, string file, string detail) =>
        new(bundle, BundleErrorReason.InvalidManifest, $"{file}: {detail}");
}
