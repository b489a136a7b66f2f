using System.Runtime.ExceptionServices;
using AgentFabric.Authorization.Bundles;
using AgentFabric.Rego;
using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Cli.Policy;

/// <summary>The modules and base data named by <c>-d</c> paths and <c>-b</c> bundles, loaded as <c>opa eval</c>
/// does. Under a <c>-d</c> directory, <c>.rego</c> files anywhere are modules and every <c>.json</c>, <c>.yaml</c> or
/// <c>.yml</c> file is data placed at its folder's path relative to that directory (<c>dir/a/b/data.json</c> becomes
/// <c>data.a.b</c>); a <c>-d</c> file is loaded at the root. Bundles follow the OPA bundle layout
/// (AgentFabric.Authorization's <see cref="PolicyBundle"/>). Documents from different files merge object by object; any other overlap is an
/// error naming the file and the path.</summary>
internal sealed class PolicyFiles
{
    private readonly List<Module> _modules = [];
    private Value _data = ObjectValue.Empty;

    private PolicyFiles()
    {
    }

    public IReadOnlyList<Module> Modules => _modules;

    public ObjectValue Data => (ObjectValue)_data;

    /// <summary>Loads every path and bundle; throws <see cref="CliException"/> for a missing path, a bad data
    /// file, a conflict or an invalid bundle, and <see cref="RegoParseException"/> for a module that does not
    /// parse.</summary>
    public static PolicyFiles Load(IEnumerable<string> paths, RegoVersion version, IEnumerable<string>? bundles = null)
    {
        var files = new PolicyFiles();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.LoadFile(path, [], version);
            }
            else if (Directory.Exists(path))
            {
                // Ordinal order so module order (and with it error order) does not depend on the file system.
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    var dir = Path.GetRelativePath(path, Path.GetDirectoryName(file)!);
                    files.LoadFile(file, dir == "." ? [] : dir.Split(Path.DirectorySeparatorChar), version);
                }
            }
            else
            {
                throw new CliException($"{path}: no such file or directory");
            }
        }

        foreach (var bundle in bundles ?? [])
        {
            files.LoadBundle(bundle, version);
        }

        return files;
    }

    /// <summary>Reads the <c>-i</c> input document (JSON, or YAML by extension).</summary>
    public static Value ReadInput(string path) => PolicyDataFile.Read(path);

    /// <summary>Merges <paramref name="doc"/> in at the path <paramref name="at"/>.</summary>
    private void AddData(string file, string[] at, Value doc)
    {
        if (at.Length == 0 && doc is not ObjectValue)
        {
            throw new CliException($"{file}: data at the root must be an object");
        }

        _data = Merge(_data, Wrap(doc, at), file, "data");
    }

    private static Value Wrap(Value doc, string[] at)
    {
        for (var i = at.Length - 1; i >= 0; i--)
        {
            var b = new ObjectValue.Builder();
            b.Set(at[i], doc);
            doc = b.ToValue();
        }

        return doc;
    }

    // Objects merge key by key; any other overlap is a conflict between two files.
    private static Value Merge(Value a, Value b, string file, string path)
    {
        if (a is not ObjectValue ao || b is not ObjectValue bo)
        {
            throw new CliException($"{file}: {path} conflicts with data loaded from another file");
        }

        var merged = new ObjectValue.Builder(ao);
        foreach (var (k, v) in bo)
        {
            merged.Set(k, ao.Get(k) is { } existing ? Merge(existing, v, file, $"{path}.{(k is StringValue s ? s.Value : k.ToString())}") : v);
        }

        return merged.ToValue();
    }

    // The bundle loader the policy server and the PDP use; its files are named by their paths on disk, as opa names
    // them. A module that does not parse fails as a -d module does (its location first).
    private void LoadBundle(string path, RegoVersion version)
    {
        PolicyBundle bundle;
        try
        {
            bundle = PolicyBundle.LoadPath(path, path, new BundleLoadOptions { DefaultRegoVersion = version });
        }
        catch (BundleException e) when (e.InnerException is RegoException parse)
        {
            ExceptionDispatchInfo.Throw(parse);
            throw;
        }
        catch (BundleException e)
        {
            throw new CliException(e.Detail, e);
        }

        foreach (var module in bundle.Modules)
        {
            _modules.Add(RegoEngine.ParseModule(module.Name, module.Text, module.Version));
        }

        AddData(path, [], bundle.Data);
    }

    private void LoadFile(string file, string[] at, RegoVersion version)
    {
        if (Path.GetExtension(file) == ".rego")
        {
            _modules.Add(RegoEngine.ParseModule(file, File.ReadAllText(file), version));
        }
        else if (PolicyDataFile.IsJson(file) || PolicyDataFile.IsYaml(file))
        {
            AddData(file, at, PolicyDataFile.Read(file));
        }
    }
}
