using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Compilation;

/// <summary>Turns parsed modules into a rule tree with resolved variables, calls and safe body order.</summary>
internal sealed partial class PolicyCompiler
{
    private readonly BuiltinRegistry _builtins;
    private readonly RuleNode _root;
    private readonly List<Module> _modules;

    private PolicyCompiler(IReadOnlyList<Module> modules, BuiltinRegistry builtins, RuleNode root)
    {
        _modules = [.. modules];
        _builtins = builtins;
        _root = root;
    }

    public RuleNode Root => _root;

    public BuiltinRegistry Builtins => _builtins;

    /// <summary>Compiles modules; <paramref name="strict"/> adds OPA's strict-mode checks.</summary>
    public static PolicyCompiler Compile(IReadOnlyList<Module> modules, BuiltinRegistry builtins, bool strict = false)
    {
        // Each stage reports every error it finds (OPA's compiler stages); a failed stage stops compilation.
        var c = new PolicyCompiler(modules, builtins, new RuleNode("data", null));
        c.RunStrictStages(strict);
        c.RunStage(c.BuildTree);
        c.RunStage(() =>
        {
            foreach (var m in c._modules)
            {
                foreach (var r in m.Rules)
                {
                    for (var rule = r; rule is not null; rule = rule.Else)
                    {
                        c.Collect(() => c.CompileRule(rule), e => NameRuleOnSharedLine(e, m, rule));
                    }
                }
            }
        });
        c.RunStage(() => c.CheckConflicts(c._root));
        c.RunStage(c.CheckRecursion);
        c.MarkDataOnly();
        c.InlineHelpers();
        BuildIndexes(c._root, new Dictionary<string, Value[]>(StringComparer.Ordinal));
        return c;
    }

    /// <summary>A compiler for one query against a compiled rule tree: it resolves names as a query outside every
    /// module does and reads the tree without changing it, so each query gets its own (see <see cref="QueryCompiler"/>).</summary>
    public static PolicyCompiler ForQuery(IReadOnlyList<Module> modules, BuiltinRegistry builtins, RuleNode root) =>
        new(modules, builtins, root);

    // Guards on the same input field share one path array, so the evaluator can reuse the value it last looked
    // up for that field (see Evaluator.GuardsPass).
    private static void BuildIndexes(RuleNode node, Dictionary<string, Value[]> guardPaths)
    {
        foreach (var (rule, _) in node.Rules)
        {
            rule.Guards = SharedGuards(rule, guardPaths);
            if (rule.Inlined is { } inlined)
            {
                inlined.Guards = SharedGuards(inlined, guardPaths);
            }
        }

        node.Index = RuleIndex.Build(node);
        node.ExitsEarly = node.Rules.Count > 1 && SameConstantValue(node);
        foreach (var child in node.Children.Values)
        {
            BuildIndexes(child, guardPaths);
        }
    }

    private static InputGuard[] SharedGuards(Rule rule, Dictionary<string, Value[]> guardPaths)
    {
        var guards = InputGuard.Extract(rule);
        for (var i = 0; i < guards.Length; i++)
        {
            if (guardPaths.TryGetValue(guards[i].PathKey, out var shared))
            {
                guards[i] = guards[i] with { Path = shared };
            }
            else
            {
                guardPaths[guards[i].PathKey] = guards[i].Path;
            }
        }

        return guards;
    }

    // Whether every rule of the node is a complete rule without else whose value is one and the same constant.
    private static bool SameConstantValue(RuleNode node)
    {
        Value? first = null;
        foreach (var (rule, _) in node.Rules)
        {
            if (rule.Kind != RuleKind.SingleValue || rule.Else is not null || !rule.HasConstantOutput || rule.Value is null ||
                Evaluation.TermConstant.ToValue(rule.Value) is not { } v)
            {
                return false;
            }

            first ??= v;
            if (!first.Equals(v))
            {
                return false;
            }
        }

        return first is not null;
    }

    private void BuildTree()
    {
        foreach (var m in _modules)
        {
            var pkg = _root;
            foreach (var p in m.Package)
            {
                pkg = pkg.GetOrAdd(p);
            }

            pkg.IsPackage = true;
            for (var n = pkg; n is not null; n = n.Parent)
            {
                // An empty package is still a (possibly empty) document under data.
                n.HasRulesBelow = true;
            }

            foreach (var rule in m.Rules)
            {
                pkg.RuleNames.Add(rule.Name);
                Collect(() => AddToTree(pkg, rule));
            }
        }
    }

    private static void AddToTree(RuleNode pkg, Rule rule)
    {
        var node = pkg;
        var prefix = 0;
        foreach (var h in rule.Head)
        {
            if (h is ScalarTerm { Value: StringValue s })
            {
                node = node.GetOrAdd(s.Value);
                prefix++;
            }
            else
            {
                break;
            }
        }

        for (var n = node; n is not null; n = n.Parent)
        {
            n.HasRulesBelow = true;
        }

        if (rule.Kind == RuleKind.Function && rule.IsDefault)
        {
            if (node.DefaultFunction is not null)
            {
                throw new RegoCompileException($"multiple default rules {node.DataPath} found", rule.Location);
            }

            node.DefaultFunction = rule;
        }
        else if (rule.Kind == RuleKind.Function)
        {
            if (prefix != rule.Head.Count)
            {
                throw new RegoCompileException("function names must be constant", rule.Location);
            }

            node.Functions.Add(rule);
        }
        else if (rule.IsDefault)
        {
            if (prefix != rule.Head.Count)
            {
                throw new RegoCompileException(RegoErrorCodes.CompileError, "default rules must not have variables in their head", rule.Location);
            }

            if (node.Default is not null)
            {
                throw new RegoCompileException($"multiple default rules {node.DataPath} found", rule.Location);
            }

            node.Default = rule;
        }
        else
        {
            node.Rules.Add((rule, prefix));
        }
    }

    private void CheckConflicts(RuleNode node)
    {
        Collect(() => CheckNodeConflicts(node));
        foreach (var child in node.Children.Values)
        {
            CheckConflicts(child);
        }
    }

    private static void CheckNodeConflicts(RuleNode node)
    {
        if (node.IsFunction && (node.Rules.Count > 0 || node.Default is not null))
        {
            var rule = node.Rules.Count > 0 ? node.Rules[0].Rule : node.Default!;
            throw new RegoCompileException($"rule {node.DataPath} conflicts with function {node.DataPath}", rule.Location);
        }

        if (node.IsFunction)
        {
            var arity = node.FunctionArity;
            foreach (var f in node.Functions.Append(node.DefaultFunction).OfType<Rule>())
            {
                if (f.Args!.Length != arity)
                {
                    throw new RegoCompileException($"conflicting rules {node.DataPath} found", f.Location);
                }
            }
        }

        node.IsSimpleLeaf = node.Rules.Count > 0 &&
            node.Rules.TrueForAll(r => r.PrefixLength == r.Rule.Head.Count) &&
            node.Rules.Select(r => r.Rule.Kind).Distinct().Count() == 1 &&
            node.Children.Values.All(c => !c.HasRulesBelow);
        var kinds = node.Rules.Where(r => r.PrefixLength == r.Rule.Head.Count).Select(r => r.Rule.Kind).Distinct().ToList();
        if (kinds.Count > 1)
        {
            throw new RegoCompileException($"conflicting rules {node.DataPath} found", node.Rules[0].Rule.Location);
        }
    }

    private RuleNode PackageNode(Module m)
    {
        var node = _root;
        foreach (var p in m.Package)
        {
            node = node.GetOrAdd(p);
        }

        return node;
    }
}
