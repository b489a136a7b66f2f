namespace AgentFabric.Rego.Builtins.GraphQl;

/// <summary>Validates an executable document against a schema (GraphQL spec §5) and throws the first violation.
/// Each rule is checked over the whole document before the next, so which error is reported first is stable.</summary>
internal sealed partial class GqlValidator
{
    private readonly GqlSchema _schema;
    private readonly GqlQueryDocument _doc;
    private readonly Dictionary<string, GqlFragmentDefinition> _fragments = new(StringComparer.Ordinal);

    // Fragments are checked where they are first spread, in that operation's variable scope; the rest afterwards.
    private readonly HashSet<string> _walkedFragments = new(StringComparer.Ordinal);
    private GqlOperation? _operation;

    private GqlValidator(GqlSchema schema, GqlQueryDocument doc)
    {
        _schema = schema;
        _doc = doc;
        foreach (var f in doc.Fragments)
        {
            _fragments.TryAdd(f.Name, f);
        }
    }

    public static void Validate(GqlSchema schema, GqlQueryDocument doc) => new GqlValidator(schema, doc).Run();

    private static GqlException Error(GqlPosition at, string message) => new(message, at.Line, at.Column);

    private void Run()
    {
        OperationRules();
        FragmentRules();
        foreach (var op in _doc.Operations)
        {
            _operation = op;
            var root = RootType(op);
            Selections(op.SelectionSet, root);
            DirectiveUses(op.Directives, op.Operation.ToUpperInvariant());
            VariableRules(op);
        }

        _operation = null;
        foreach (var f in _doc.Fragments)
        {
            if (_walkedFragments.Add(f.Name) && _schema.Types.TryGetValue(f.TypeCondition, out var t))
            {
                Selections(f.SelectionSet, t);
            }

            DirectiveUses(f.Directives, "FRAGMENT_DEFINITION");
        }
    }

    private GqlDefinition RootType(GqlOperation op)
    {
        var root = op.Operation switch
        {
            "mutation" => _schema.Mutation,
            "subscription" => _schema.Subscription,
            _ => _schema.Query,
        };
        return root ?? throw Error(op.Position, $"Schema does not support operation type \"{op.Operation}\"");
    }

    // §5.2.1.1 operation name uniqueness, §5.2.2.1 lone anonymous operation.
    private void OperationRules()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var op in _doc.Operations)
        {
            if (op.Name.Length == 0 && _doc.Operations.Count > 1)
            {
                throw Error(op.Position, "This anonymous operation must be the only defined operation.");
            }

            if (op.Name.Length > 0 && !names.Add(op.Name))
            {
                throw Error(op.Position, $"There can be only one operation named \"{op.Name}\".");
            }

            if (op.Operation == "subscription" && op.SelectionSet.Count > 1)
            {
                var label = op.Name.Length > 0 ? $"Subscription \"{op.Name}\"" : "Anonymous Subscription";
                throw Error(op.Position, $"{label} must select only one top level field.");
            }
        }
    }

    // §5.5.1: fragment names are unique, their type conditions exist and are composite, each is used, none cycles.
    private void FragmentRules()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in _doc.Fragments)
        {
            if (!names.Add(f.Name))
            {
                throw Error(f.Position, $"There can be only one fragment named \"{f.Name}\".");
            }

            if (!_schema.Types.TryGetValue(f.TypeCondition, out var t))
            {
                throw Error(f.Position, $"Unknown type \"{f.TypeCondition}\".");
            }

            if (t.Kind is not ("OBJECT" or "INTERFACE" or "UNION"))
            {
                throw Error(f.Position, $"Fragment \"{f.Name}\" cannot condition on non composite type \"{f.TypeCondition}\".");
            }
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var op in _doc.Operations)
        {
            CollectSpreads(op.SelectionSet, used);
        }

        foreach (var f in _doc.Fragments)
        {
            if (!used.Contains(f.Name))
            {
                throw Error(f.Position, $"Fragment \"{f.Name}\" is never used.");
            }

            DetectCycle(f, [f.Name]);
        }
    }

    private void CollectSpreads(List<GqlSelection> selections, HashSet<string> used)
    {
        foreach (var s in selections)
        {
            switch (s)
            {
                case GqlField f:
                    CollectSpreads(f.SelectionSet, used);
                    break;
                case GqlInlineFragment i:
                    CollectSpreads(i.SelectionSet, used);
                    break;
                case GqlFragmentSpread spread when used.Add(spread.Name) && _fragments.TryGetValue(spread.Name, out var def):
                    CollectSpreads(def.SelectionSet, used);
                    break;
            }
        }
    }

    // §5.5.2.2 fragment spreads must not form cycles.
    private void DetectCycle(GqlFragmentDefinition fragment, List<string> path)
    {
        foreach (var spread in Spreads(fragment.SelectionSet))
        {
            if (spread.Name == path[0])
            {
                var via = path.Count > 1 ? " via " + string.Join(", ", path.Skip(1)) : "";
                throw Error(spread.Position, $"Cannot spread fragment \"{path[0]}\" within itself{via}.");
            }

            if (!path.Contains(spread.Name) && _fragments.TryGetValue(spread.Name, out var next))
            {
                path.Add(spread.Name);
                DetectCycle(next, path);
                path.RemoveAt(path.Count - 1);
            }
        }
    }

    private static IEnumerable<GqlFragmentSpread> Spreads(List<GqlSelection> selections)
    {
        foreach (var s in selections)
        {
            var nested = s switch
            {
                GqlField f => Spreads(f.SelectionSet),
                GqlInlineFragment i => Spreads(i.SelectionSet),
                GqlFragmentSpread spread => [spread],
                _ => [],
            };
            foreach (var n in nested)
            {
                yield return n;
            }
        }
    }
}
