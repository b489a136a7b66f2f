using System.Globalization;
using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentFabric.Rego.Syntax;

/// <summary>Reads <c># METADATA</c> comment blocks (YAML) and attaches them to the package or rule that follows.</summary>
internal static class AnnotationParser
{
    public static void Attach(Module module, List<(int Line, string Text)> comments, int packageLine, string file)
    {
        var byLine = new Dictionary<int, string>();
        foreach (var (line, text) in comments)
        {
            byLine[line] = text;
        }

        foreach (var (line, text) in comments)
        {
            if (text.Trim() != "METADATA")
            {
                continue;
            }

            var yaml = new List<string>();
            var next = line + 1;
            while (byLine.TryGetValue(next, out var t))
            {
                yaml.Add(t.StartsWith(' ') ? t[1..] : t);
                next++;
            }

            var annotations = Parse(string.Join('\n', yaml), file, line);
            if (line < packageLine)
            {
                module.PackageAnnotations = WithDefaultScope(annotations, "package");
                continue;
            }

            var rule = module.Rules.Where(r => r.Location.Line >= next).OrderBy(r => r.Location.Line).FirstOrDefault();
            if (rule is not null)
            {
                rule.Annotations = WithDefaultScope(annotations, "rule");
            }
        }
    }

    private static ObjectValue WithDefaultScope(ObjectValue annotations, string scope) =>
        annotations.Get("scope") is null ? annotations.With(StringValue.Create("scope"), StringValue.Create(scope)) : annotations;

    private static ObjectValue Parse(string yaml, string file, int line)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new RegoParseException($"yaml: {e.Message}", new Location(file, line, 1));
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return ObjectValue.Empty;
        }

        var b = new ObjectValue.Builder();
        foreach (var (k, v) in root.Children)
        {
            var key = ((YamlScalarNode)k).Value ?? string.Empty;
            var value = ToValue(v);
            if (key is "authors" && value is ArrayValue authors)
            {
                value = ArrayValue.CreateRange(authors.Select(Author));
            }

            b.Set(key, value);
        }

        return b.ToValue();
    }

    // "Name <email>" or a mapping with name/email.
    private static Value Author(Value v)
    {
        if (v is not StringValue s)
        {
            return v;
        }

        var text = s.Value.Trim();
        var lt = text.LastIndexOf('<');
        if (lt >= 0 && text.EndsWith('>'))
        {
            var name = text[..lt].Trim();
            var email = text[(lt + 1)..^1].Trim();
            return name.Length == 0
                ? ObjectValue.Create(("email", email))
                : ObjectValue.Create(("email", email), ("name", name));
        }

        return ObjectValue.Create(("name", text));
    }

    private static Value ToValue(YamlNode node)
    {
        switch (node)
        {
            case YamlSequenceNode seq:
                return ArrayValue.CreateRange(seq.Children.Select(ToValue));
            case YamlMappingNode map:
            {
                var b = new ObjectValue.Builder();
                foreach (var (k, v) in map.Children)
                {
                    b.Set(((YamlScalarNode)k).Value ?? string.Empty, ToValue(v));
                }

                return b.ToValue();
            }

            case YamlScalarNode s when s.Style == ScalarStyle.Plain:
                var text = s.Value ?? string.Empty;
                return text switch
                {
                    "" or "~" or "null" => NullValue.Instance,
                    "true" => BooleanValue.True,
                    "false" => BooleanValue.False,
                    _ when text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] == '-') &&
                           double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) &&
                           NumberValue.TryParse(text, out var n) => n,
                    _ => StringValue.Create(text),
                };
            case YamlScalarNode s:
                return StringValue.Create(s.Value ?? string.Empty);
            default:
                return NullValue.Instance;
        }
    }
}
