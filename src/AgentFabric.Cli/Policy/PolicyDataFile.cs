using System.Text.Json;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Cli.Policy;

/// <summary>Reads JSON and YAML documents (data files, the <c>-i</c> input), reporting a bad document as
/// <c>file:line:col: invalid JSON|YAML: reason</c>.</summary>
internal static class PolicyDataFile
{
    public static bool IsJson(string path) => Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase);

    public static bool IsYaml(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".yaml" or ".yml";

    /// <summary>Reads a file from disk as JSON, or YAML when its extension says so.</summary>
    public static Value Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException($"{path}: no such file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: {e.Message}");
        }

        return Parse(path, text);
    }

    /// <summary>Parses the text of <paramref name="name"/>: YAML for <c>.yaml</c>/<c>.yml</c>, JSON otherwise.</summary>
    public static Value Parse(string name, string text)
    {
        if (IsYaml(name))
        {
            try
            {
                return RegoYaml.Parse(text);
            }
            catch (RegoYamlException e)
            {
                // The reason keeps go-yaml's wording without its own (differently counted) "yaml: line N:" prefix.
                var at = e.Line > 0 ? $":{e.Line}:{e.Column}" : "";
                var reason = System.Text.RegularExpressions.Regex.Replace(e.Message, @"^yaml: (line \d+: )?", "");
                throw new CliException($"{name}{at}: invalid YAML: {reason}");
            }
        }

        try
        {
            return Value.ParseJson(text);
        }
        catch (JsonException e)
        {
            // System.Text.Json counts lines and bytes from 0 and appends them to its message.
            var reason = e.Message;
            var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0)
            {
                reason = reason[..cut];
            }

            var at = e.LineNumber is { } line ? $":{line + 1}:{(e.BytePositionInLine ?? 0) + 1}" : "";
            throw new CliException($"{name}{at}: invalid JSON: {reason}");
        }
    }
}
