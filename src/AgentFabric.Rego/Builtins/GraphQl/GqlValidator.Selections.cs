namespace AgentFabric.Rego.Builtins.GraphQl;

// GraphQL spec §5.3 fields, §5.4 arguments, §5.5.2 fragment spreads and §5.7 directives, checked per selection.
internal sealed partial class GqlValidator
{
    private void Selections(List<GqlSelection> selections, GqlDefinition parent)
    {
        CheckMergeable(selections, parent);
        foreach (var s in selections)
        {
            switch (s)
            {
                case GqlField f:
                    Field(f, parent);
                    break;
                case GqlInlineFragment i:
                    InlineFragment(i, parent);
                    break;
                case GqlFragmentSpread spread:
                    Spread(spread, parent);
                    break;
            }
        }
    }

    private void Field(GqlField field, GqlDefinition parent)
    {
        DirectiveUses(field.Directives, "FIELD");
        if (field.Name == "__typename")
        {
            if (field.SelectionSet.Count > 0)
            {
                throw Error(field.Position, "Field \"__typename\" must not have a selection since type \"String!\" has no subfields.");
            }

            return;
        }

        // §5.3.1 the field must be defined on the parent type.
        var def = parent.Kind is "OBJECT" or "INTERFACE" ? parent.Fields.FirstOrDefault(d => d.Name == field.Name) : null;
        if (def?.Type is null)
        {
            throw Error(field.Position, $"Cannot query field \"{field.Name}\" on type \"{parent.Name}\"." + FieldHint(parent, field.Name));
        }

        Arguments(field.Arguments, def.Arguments, field.Position, a => $"Unknown argument \"{a}\" on field \"{parent.Name}.{field.Name}\".",
            (a, t) => $"Field \"{field.Name}\" argument \"{a}\" of type \"{t}\" is required, but it was not provided");

        // §5.3.3 leaf field selections.
        var type = _schema.Types.GetValueOrDefault(GqlSchema.NameOf(def.Type));
        if (type is null)
        {
            return;
        }

        var isLeaf = type.Kind is "SCALAR" or "ENUM";
        if (isLeaf && field.SelectionSet.Count > 0)
        {
            throw Error(field.Position, $"Field \"{field.Name}\" must not have a selection since type \"{type.Name}\" has no subfields.");
        }

        if (!isLeaf && field.SelectionSet.Count == 0)
        {
            throw Error(field.Position, $"Field \"{field.Name}\" of type \"{def.Type}\" must have a selection of subfields. Did you mean \"{field.Name} {{ ... }}\"?");
        }

        Selections(field.SelectionSet, type);
    }

    private void InlineFragment(GqlInlineFragment fragment, GqlDefinition parent)
    {
        DirectiveUses(fragment.Directives, "INLINE_FRAGMENT");
        var type = parent;
        if (fragment.TypeCondition.Length > 0)
        {
            if (!_schema.Types.TryGetValue(fragment.TypeCondition, out var t))
            {
                throw Error(fragment.Position, $"Unknown type \"{fragment.TypeCondition}\".");
            }

            if (t.Kind is not ("OBJECT" or "INTERFACE" or "UNION"))
            {
                throw Error(fragment.Position, $"Fragment cannot condition on non composite type \"{fragment.TypeCondition}\".");
            }

            PossibleSpread(fragment.Position, parent, t, "Fragment cannot be spread here as objects of type \"{0}\" can never be of type \"{1}\".");
            type = t;
        }

        Selections(fragment.SelectionSet, type);
    }

    private void Spread(GqlFragmentSpread spread, GqlDefinition parent)
    {
        DirectiveUses(spread.Directives, "FRAGMENT_SPREAD");
        if (!_fragments.TryGetValue(spread.Name, out var def))
        {
            throw Error(spread.Position, $"Unknown fragment \"{spread.Name}\".");
        }

        if (_schema.Types.TryGetValue(def.TypeCondition, out var t))
        {
            PossibleSpread(spread.Position, parent, t, $"Fragment \"{spread.Name}\" cannot be spread here as objects of type \"{{0}}\" can never be of type \"{{1}}\".");
            if (_walkedFragments.Add(def.Name))
            {
                Selections(def.SelectionSet, t);
            }
        }
    }

    // On an interface or union, the types that have the field are suggested (interfaces used most first);
    // otherwise the parent's fields with similar names.
    private string FieldHint(GqlDefinition parent, string name)
    {
        if (parent.Kind is "INTERFACE" or "UNION")
        {
            var objects = new List<string>();
            var interfaces = new List<string>();
            var usage = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var possible in _schema.PossibleTypes(parent))
            {
                if (possible.Fields.All(f => f.Name != name))
                {
                    continue;
                }

                objects.Add(possible.Name);
                foreach (var i in possible.Interfaces)
                {
                    if (_schema.Types.TryGetValue(i, out var intf) && intf.Fields.Any(f => f.Name == name))
                    {
                        if (!usage.ContainsKey(i))
                        {
                            interfaces.Add(i);
                        }

                        usage[i] = usage.GetValueOrDefault(i) + 1;
                    }
                }
            }

            var types = interfaces.Concat(objects)
                .OrderByDescending(t => usage.GetValueOrDefault(t))
                .ThenBy(t => t, StringComparer.Ordinal)
                .ToList();
            if (types.Count > 0)
            {
                return " Did you mean to use an inline fragment on " + GqlSuggestions.OrList(types.Select(t => "\"" + t + "\"").ToList()) + "?";
            }
        }

        return parent.Kind is "OBJECT" or "INTERFACE" ? GqlSuggestions.Hint("Did you mean", name, parent.Fields.Select(f => f.Name)) : "";
    }

    // §5.5.2.3 a fragment applies only where the parent and the condition share a possible object type.
    private void PossibleSpread(GqlPosition at, GqlDefinition parent, GqlDefinition condition, string message)
    {
        var parentTypes = Possible(parent);
        if (!Possible(condition).Any(parentTypes.Contains))
        {
            throw Error(at, string.Format(System.Globalization.CultureInfo.InvariantCulture, message, parent.Name, condition.Name));
        }
    }

    private HashSet<string> Possible(GqlDefinition def) =>
        def.Kind == "OBJECT" ? [def.Name] : _schema.PossibleTypes(def).Select(d => d.Name).ToHashSet(StringComparer.Ordinal);

    // §5.4.1 argument names, §5.4.2 uniqueness, §5.4.2.1 required arguments, §5.6.1 value types.
    private void Arguments(List<GqlArgument> given, List<GqlFieldDefinition> defined, GqlPosition at, Func<string, string> unknown, Func<string, string, string> missing)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var arg in given)
        {
            var def = defined.FirstOrDefault(d => d.Name == arg.Name)
                ?? throw Error(at, unknown(arg.Name) + GqlSuggestions.Hint("Did you mean", arg.Name, defined.Select(d => d.Name)));
            if (!seen.Add(arg.Name))
            {
                throw Error(arg.Position, $"There can be only one argument named \"{arg.Name}\".");
            }

            if (arg.Value is not null && def.Type is not null)
            {
                CheckValue(arg.Value, def.Type);
            }
        }

        foreach (var def in defined)
        {
            if (def.Type is { NonNull: true } && def.DefaultValue is null)
            {
                var arg = given.FirstOrDefault(a => a.Name == def.Name);
                if (arg?.Value is null || arg.Value.Kind == GqlValueKind.Null)
                {
                    throw Error(at, missing(def.Name, def.Type.ToString()));
                }
            }
        }
    }

    // §5.7.1-5.7.3 directives are defined, used where allowed and not repeated unless repeatable.
    private void DirectiveUses(List<GqlDirective> directives, string location)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in directives)
        {
            if (!_schema.Directives.TryGetValue(dir.Name, out var def))
            {
                throw Error(dir.Position, $"Unknown directive \"@{dir.Name}\".");
            }

            if (!def.Locations.Contains(location))
            {
                throw Error(dir.Position, $"Directive \"@{dir.Name}\" may not be used on {location}.");
            }

            if (!def.IsRepeatable && !seen.Add(dir.Name))
            {
                throw Error(dir.Position, $"The directive \"@{dir.Name}\" can only be used once at this location.");
            }

            Arguments(dir.Arguments, def.Arguments, dir.Position, a => $"Unknown argument \"{a}\" on directive \"@{dir.Name}\".",
                (a, t) => $"Directive \"@{dir.Name}\" argument \"{a}\" of type \"{t}\" is required, but it was not provided");
        }
    }
}
