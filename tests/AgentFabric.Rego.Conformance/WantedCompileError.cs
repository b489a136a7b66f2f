using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace AgentFabric.Rego.Conformance;

/// <summary>One diagnostic an opa-compile case expects: code, position and message.</summary>
internal sealed record WantedCompileError(string? Code, int? Row, int? Col, string? Message)
{
    public static WantedCompileError From(YamlMappingNode node)
    {
        string? Str(string key) => node.Children.TryGetValue(key, out var v) && v is YamlScalarNode s ? s.Value : null;
        int? Int(string key) => Str(key) is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : null;
        return new WantedCompileError(Str("code"), Int("row"), Int("col"), Str("message"));
    }

    public bool Matches(RegoError e) =>
        (Code is null || Code == e.Code) &&
        (Row is null || Row == e.Location?.Line) &&
        (Col is null || Col == e.Location?.Column) &&
        (Message is null || Message == e.Reason);

    public override string ToString() => $"{Row}:{Col}: {Code}: {Message}";
}
