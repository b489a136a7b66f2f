using AgentFabric.Rego;
using AgentFabric.Rego.Ast;

namespace AgentFabric.Cli.Policy;

/// <summary>The modules and base data named by <c>-d</c> paths, loaded as <c>opa eval -d</c> does: <c>.rego</c> files
/// are modules; <c>.json</c> files are data placed at their directory's path below the loaded directory
/// (<c>dir/a/b/data.json</c> becomes <c>data.a.b</c>).</summary>
internal sealed class PolicyFiles
{
    private PolicyFiles(List<RegoModuleSource> modules, ObjectValue data)
    {
        Modules = modules;
        Data = data;
    }

    public IReadOnlyList<RegoModuleSource> Modules { get; }

    public ObjectValue Data { get; }

    /// <summary>Loads every path; throws <see cref="PolicyCliException"/> for a missing path or bad data file.</summary>
    public static PolicyFiles Load(IEnumerable<string> paths, RegoVersion version)
    {
        var modules = new List<RegoModuleSource>();
        Value data = ObjectValue.Empty;
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                LoadFile(path, [], version, modules, ref data);
            }
            else if (Directory.Exists(path))
            {
                // Ordinal order so module order (and with it error order) does not depend on the file system.
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    var dir = Path.GetRelativePath(path, Path.GetDirectoryName(file)!);
                    var at = dir == "." ? [] : dir.Split(Path.DirectorySeparatorChar);
                    LoadFile(file, at, version, modules, ref data);
                }
            }
            else
            {
                throw new PolicyCliException($"{path}: no such file or directory");
            }
        }

        return new PolicyFiles(modules, (ObjectValue)data);
    }

    /// <summary>Reads a JSON document (the <c>-i</c> input); throws <see cref="PolicyCliException"/>.</summary>
    public static Value ReadJson(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PolicyCliException($"{path}: no such file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PolicyCliException($"{path}: {e.Message}");
        }

        try
        {
            return Value.ParseJson(text);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new PolicyCliException($"{path}: invalid JSON: {e.Message}");
        }
    }

    private static void LoadFile(string file, string[] at, RegoVersion version, List<RegoModuleSource> modules, ref Value data)
    {
        switch (Path.GetExtension(file))
        {
            case ".rego":
                modules.Add(new RegoModuleSource(file, File.ReadAllText(file), version));
                break;
            case ".json":
                var doc = ReadJson(file);
                if (at.Length == 0 && doc is not ObjectValue)
                {
                    throw new PolicyCliException($"{file}: data at the root must be a JSON object");
                }

                data = Merge(data, Wrap(doc, at), file, "data");
                break;
        }
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
            throw new PolicyCliException($"{file}: {path} conflicts with data loaded from another file");
        }

        var merged = new ObjectValue.Builder(ao);
        foreach (var (k, v) in bo)
        {
            merged.Set(k, ao.Get(k) is { } existing ? Merge(existing, v, file, $"{path}.{(k is StringValue s ? s.Value : k.ToString())}") : v);
        }

        return merged.ToValue();
    }
}
