using AgentFabric.Rego.Values;
using YamlDotNet.RepresentationModel;

namespace AgentFabric.Rego.Conformance;

/// <summary>One case of a conformance YAML file.</summary>
internal sealed class ConformanceCase
{
    public required string File { get; init; }

    public required string Folder { get; init; }

    public required string Note { get; init; }

    public required string Query { get; init; }

    public List<string> Modules { get; } = [];

    public Value? Data { get; init; }

    public Value? Input { get; init; }

    public string? InputTerm { get; init; }

    public List<Value>? WantResult { get; init; }

    public string? WantErrorCode { get; init; }

    public string? WantError { get; init; }

    public bool StrictError { get; init; }

    public bool SortBindings { get; init; }

    public bool IgnoreGeneratedVars { get; init; }

    public bool ExperimentalKeywords { get; init; }

    public bool IsV0 { get; init; }

    /// <summary>Compiler-diagnostic cases (opa-compile/): the errors compilation must fail with.</summary>
    public List<WantedCompileError>? WantErrors { get; init; }

    /// <summary>Whether <see cref="WantErrors"/> is the complete list (otherwise the first must be reported).</summary>
    public bool Exhaustive { get; init; }

    /// <summary>OPA's strict compile mode.</summary>
    public bool Strict { get; init; }

    public static IEnumerable<ConformanceCase> Load(string file, string folder, bool isV0)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            yaml.Load(reader);
        }

        foreach (var doc in yaml.Documents)
        {
            if (doc.RootNode is not YamlMappingNode root || !root.Children.TryGetValue("cases", out var casesNode) ||
                casesNode is not YamlSequenceNode cases)
            {
                continue;
            }

            foreach (var node in cases.Children.OfType<YamlMappingNode>())
            {
                string? Str(string key) => node.Children.TryGetValue(key, out var v) && v is YamlScalarNode s ? s.Value : null;
                bool Flag(string key) => Str(key) is "true" or "True";
                Value? Val(string key) => node.Children.TryGetValue(key, out var v) ? YamlValues.ToValue(v) : null;
                var c = new ConformanceCase
                {
                    File = file,
                    Folder = folder,
                    Note = Str("note") ?? "(no note)",
                    Query = Str("query") ?? string.Empty,
                    Data = Val("data"),
                    Input = Val("input"),
                    InputTerm = Str("input_term"),
                    WantResult = node.Children.TryGetValue("want_result", out var wr) && wr is YamlSequenceNode seq
                        ? seq.Children.Select(YamlValues.ToValue).ToList()
                        : null,
                    WantErrorCode = Str("want_error_code"),
                    WantError = Str("want_error"),
                    StrictError = Flag("strict_error"),
                    SortBindings = Flag("sort_bindings"),
                    IgnoreGeneratedVars = Flag("ignore_generated_vars"),
                    ExperimentalKeywords = Flag("experimental_keywords"),
                    IsV0 = Str("rego_version") is { } rv ? rv == "v0" : isV0,
                    WantErrors = node.Children.TryGetValue("want_errors", out var we) && we is YamlSequenceNode errs
                        ? errs.Children.OfType<YamlMappingNode>().Select(WantedCompileError.From).ToList()
                        : null,
                    Exhaustive = Flag("exhaustive"),
                    Strict = Flag("strict"),
                };
                if (node.Children.TryGetValue("modules", out var mods) && mods is YamlSequenceNode modSeq)
                {
                    c.Modules.AddRange(modSeq.Children.OfType<YamlScalarNode>().Select(m => m.Value ?? string.Empty));
                }

                yield return c;
            }
        }
    }
}
