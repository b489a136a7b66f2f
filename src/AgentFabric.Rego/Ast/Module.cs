using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Ast;

/// <summary>The Rego language version a module is parsed with.</summary>
public enum RegoVersion
{
    /// <summary>Rego v1 (OPA 1.x default): <c>if</c> and <c>contains</c> required, keywords always on.</summary>
    V1,

    /// <summary>Rego v0 (OPA 0.x syntax).</summary>
    V0,
}

/// <summary><c>import path [as alias]</c>.</summary>
public sealed record Import(RefTerm Path, string? Alias, Location Location)
{
    /// <summary>The name the import binds: the alias, or the last path element.</summary>
    public string Name => Alias ?? (Path.Path.Length > 0 && Path.Path[^1] is ScalarTerm { Value: StringValue s } ? s.Value : Path.Head.ToString());
}

/// <summary>A parsed Rego module.</summary>
public sealed class Module
{
    internal Module(string file, RegoVersion version)
    {
        File = file;
        Version = version;
    }

    /// <summary>The file name (appears in error locations).</summary>
    public string File { get; }

    /// <summary>The language version it was parsed with.</summary>
    public RegoVersion Version { get; }

    /// <summary>The package path without the <c>data</c> root, e.g. <c>["app", "rbac"]</c>.</summary>
    public string[] Package { get; internal set; } = [];

    /// <summary>Where the package clause is.</summary>
    public Location PackageLocation { get; internal set; }

    /// <summary>The imports.</summary>
    public List<Import> Imports { get; } = [];

    /// <summary>The package's <c># METADATA</c> annotations, if any (scope package or subpackages).</summary>
    public ObjectValue? PackageAnnotations { get; internal set; }

    /// <summary>The rules in source order.</summary>
    public List<Rule> Rules { get; } = [];
}
