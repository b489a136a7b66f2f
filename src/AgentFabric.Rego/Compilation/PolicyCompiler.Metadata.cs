using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Compilation;

// rego.metadata.chain() and rego.metadata.rule(): the annotations that apply to the rule being compiled.
internal sealed partial class PolicyCompiler
{
    private Rule? _currentRule;

    private Value MetadataRule()
    {
        var a = _currentRule?.Annotations;
        return a is not null && a.Get("scope") is StringValue { Value: "rule" } ? a : ObjectValue.Empty;
    }

    private Value MetadataChain()
    {
        if (_currentRule is null || _module is null)
        {
            return ArrayValue.Empty;
        }

        var rule = _currentRule;
        var rulePath = _module.Package.Concat(rule.Head.TakeWhile(h => h is ScalarTerm { Value: StringValue })
            .Select(h => ((StringValue)((ScalarTerm)h).Value).Value)).ToArray();
        var entries = new List<Value>();
        var own = rule.Annotations;
        entries.Add(own is not null && own.Get("scope") is StringValue { Value: "rule" }
            ? Entry(own, rulePath)
            : ObjectValue.Create(("path", PathValue(rulePath))));

        // Document scope: any definition of the same rule may carry it.
        foreach (var m in _modules)
        {
            foreach (var r in m.Rules)
            {
                if (r.Annotations is { } d && d.Get("scope") is StringValue { Value: "document" } &&
                    m.Package.Concat([r.Name]).SequenceEqual(rulePath.Take(m.Package.Length + 1)))
                {
                    entries.Add(Entry(d, rulePath));
                }
            }
        }

        // Package scope for the rule's package, subpackages scope for it and every enclosing package.
        for (var len = _module.Package.Length; len >= 0; len--)
        {
            var pkg = _module.Package.Take(len).ToArray();
            foreach (var m in _modules)
            {
                if (m.PackageAnnotations is { } p && m.Package.SequenceEqual(pkg) &&
                    (p.Get("scope") is StringValue { Value: "subpackages" } || (len == _module.Package.Length && p.Get("scope") is StringValue { Value: "package" })))
                {
                    entries.Add(Entry(p, pkg));
                }
            }
        }

        return ArrayValue.CreateRange(entries);
    }

    private static ObjectValue Entry(ObjectValue annotations, string[] path) =>
        ObjectValue.Create(("annotations", annotations), ("path", PathValue(path)));

    private static ArrayValue PathValue(string[] path) =>
        ArrayValue.CreateRange(path.Select(p => (Value)StringValue.Create(p)));
}
