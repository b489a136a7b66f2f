using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Compilation;

internal sealed partial class PolicyCompiler
{
    private CallTarget ResolveCall(string name, Location loc)
    {
        var target = TryResolveCall(name);
        if (target is null)
        {
            throw new RegoCompileException(RegoErrorCodes.TypeError, $"undefined function {name}", loc);
        }

        return target;
    }

    private CallTarget? TryResolveCall(string name)
    {
        var segments = name.Split('.');
        RuleNode? node = null;
        if (segments[0] == "data")
        {
            node = _root.Find(segments.AsSpan(1));
        }
        else if (_imports.TryGetValue(segments[0], out var imp) && ((VarTerm)imp.Head).Name == "data")
        {
            var path = imp.Path.Select(p => ((StringValue)((ScalarTerm)p).Value).Value).Concat(segments.Skip(1)).ToArray();
            node = _root.Find(path);
        }
        else if (_package is not null && _package.RuleNames.Contains(segments[0]))
        {
            node = _package.Find(segments);
        }

        if (node is not null && node.IsFunction)
        {
            return new FunctionCallTarget(node, node.FunctionArity);
        }

        if (node is not null && node.HasRulesBelow)
        {
            // A call of a non-function rule.
            return null;
        }

        return _builtins.TryGet(name, out var b) ? new BuiltinCallTarget(b) : null;
    }

    private WithTarget ResolveWithTarget(WithModifier w)
    {
        var target = w.Target;
        string name;
        if (target is VarTerm v)
        {
            name = v.Name;
        }
        else if (target is RefTerm { Head: VarTerm hv } r && r.Path.All(p => p is ScalarTerm))
        {
            if (hv.Name is "input" or "data")
            {
                var path = new List<string>();
                foreach (var p in r.Path)
                {
                    var sv = ((ScalarTerm)p).Value;
                    path.Add(sv is StringValue s ? s.Value : sv.ToString());
                }

                if (hv.Name == "data")
                {
                    var node = _root.Find(path.ToArray());
                    if (node is not null && node.IsFunction)
                    {
                        return FunctionWith(w, node.DataPath);
                    }
                }

                return new WithTarget { Kind = hv.Name == "input" ? WithTargetKind.Input : WithTargetKind.Data, Path = path.ToArray() };
            }

            name = target.ToString();
        }
        else
        {
            throw new RegoCompileException($"with keyword target must reference existing input, data, or a function", w.Location);
        }

        if (name == "input")
        {
            return new WithTarget { Kind = WithTargetKind.Input };
        }

        if (name == "data")
        {
            return new WithTarget { Kind = WithTargetKind.Data };
        }

        var resolved = TryResolveCall(name)
            ?? throw new RegoCompileException($"with keyword target must reference existing input, data, or a function", w.Location);
        return FunctionWith(w, resolved.Name);
    }

    private WithTarget FunctionWith(WithModifier w, string functionName)
    {
        CallTarget? replacement = null;
        var valueName = w.Value switch
        {
            VarTerm v => v.Name,
            RefTerm r when r.Path.All(p => p is ScalarTerm { Value: StringValue }) => r.ToString(),
            _ => null,
        };
        if (valueName is not null)
        {
            replacement = TryResolveCall(valueName);
        }

        return new WithTarget { Kind = WithTargetKind.Function, FunctionName = functionName, Replacement = replacement };
    }
}
