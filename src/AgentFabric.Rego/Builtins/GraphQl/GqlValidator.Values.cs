using AgentFabric.Rego.GoCompat;

namespace AgentFabric.Rego.Builtins.GraphQl;

// GraphQL spec §5.6 values and §5.8 variables.
internal sealed partial class GqlValidator
{
    // §5.6.1 values of correct type; variables are checked by the variable rules instead.
    private void CheckValue(GqlValue value, GqlType type)
    {
        if (value.Kind == GqlValueKind.Variable)
        {
            VariablePosition(value, type);
            return;
        }

        if (value.Kind == GqlValueKind.Null)
        {
            if (type.NonNull)
            {
                throw Error(value.Position, $"Expected value of type \"{type}\", found null.");
            }

            return;
        }

        if (type.Elem is not null)
        {
            if (value.Kind == GqlValueKind.List)
            {
                foreach (var c in value.Children)
                {
                    if (c.Value is not null)
                    {
                        CheckValue(c.Value, type.Elem);
                    }
                }
            }
            else
            {
                // §3.11 input coercion: a single value is accepted where a list is expected.
                CheckValue(value, type.Elem);
            }

            return;
        }

        if (!_schema.Types.TryGetValue(type.NamedType, out var def))
        {
            return;
        }

        // Custom scalars accept any literal; the built-in ones only their own kinds (§3.5).
        if (IsCustomScalar(def))
        {
            return;
        }

        var enumNames = def.Kind == "ENUM" ? def.EnumValues.Select(e => e.Name).ToList() : [];
        switch (value.Kind)
        {
            case GqlValueKind.String or GqlValueKind.Block when def.Kind == "ENUM":
                throw Error(value.Position, $"Enum \"{type}\" cannot represent non-enum value: {ValueText(value)}." +
                    GqlSuggestions.Hint("Did you mean the enum value", value.Raw, enumNames));
            case GqlValueKind.Enum when def.Kind == "ENUM" && !enumNames.Contains(value.Raw):
                throw Error(value.Position, $"Value \"{value.Raw}\" does not exist in \"{type}\" enum." +
                    GqlSuggestions.Hint("Did you mean the enum value", value.Raw, enumNames));
            case GqlValueKind.Object:
                CheckObject(value, def);
                return;
        }

        var ok = value.Kind switch
        {
            GqlValueKind.Int => def.Name is "Int" or "Float" or "ID",
            GqlValueKind.Float => def.Name == "Float",
            GqlValueKind.String or GqlValueKind.Block => def.Name is "String" or "ID",
            GqlValueKind.Boolean => def.Name == "Boolean",
            GqlValueKind.Enum => def.Kind == "ENUM",
            _ => false,
        };
        if (!ok)
        {
            throw Error(value.Position, $"Expected value of type \"{type}\", found {ValueText(value)}.");
        }
    }

    // §5.6.2-5.6.4 input object fields: required ones present, each one defined and of the right type.
    private void CheckObject(GqlValue value, GqlDefinition def)
    {
        foreach (var field in def.Fields)
        {
            if (field.Type is { NonNull: true } && field.DefaultValue is null && value.Children.All(c => c.Name != field.Name))
            {
                throw Error(value.Position, $"Field \"{def.Name}.{field.Name}\" of required type \"{field.Type}\" was not provided.");
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in value.Children)
        {
            var field = def.Fields.FirstOrDefault(f => f.Name == c.Name)
                ?? throw Error(c.Position, $"Field \"{c.Name}\" is not defined by type \"{def.Name}\"." +
                    GqlSuggestions.Hint("Did you mean", c.Name, def.Fields.Select(f => f.Name)));

            // §5.6.3 input object field uniqueness.
            if (!seen.Add(c.Name))
            {
                throw Error(c.Position, $"There can be only one input field named \"{c.Name}\".");
            }

            if (c.Value is not null && field.Type is not null)
            {
                CheckValue(c.Value, field.Type);
            }
        }
    }

    // §5.8.5 a variable's type must fit where it is used; a default value lets a nullable variable fill a
    // non-null position.
    private void VariablePosition(GqlValue value, GqlType expected)
    {
        var def = _operation?.VariableDefinitions.FirstOrDefault(v => v.Variable == value.Raw);
        if (def?.Type is null)
        {
            return;
        }

        var nonNull = expected.NonNull && !(def.DefaultValue is not null && def.DefaultValue.Kind != GqlValueKind.Null);
        if (!Compatible(def.Type, expected, nonNull))
        {
            throw Error(value.Position, $"Variable \"${value.Raw}\" of type \"{def.Type}\" used in position expecting type \"{expected}\".");
        }
    }

    private static bool Compatible(GqlType actual, GqlType expected, bool expectedNonNull)
    {
        if (actual.NamedType != expected.NamedType || (actual.Elem is not null && expected.Elem is null))
        {
            return false;
        }

        if (actual.Elem is not null && !Compatible(actual.Elem, expected.Elem!, expected.Elem!.NonNull))
        {
            return false;
        }

        return !expectedNonNull || actual.NonNull;
    }

    private static bool IsCustomScalar(GqlDefinition def) =>
        def.Kind == "SCALAR" && def.Name is not ("Int" or "Float" or "String" or "Boolean" or "ID");

    private static string ValueText(GqlValue v) => v.Kind switch
    {
        GqlValueKind.Variable => "$" + v.Raw,
        GqlValueKind.String or GqlValueKind.Block => GoQuote.Quote(v.Raw),
        GqlValueKind.List => "[" + string.Join(",", v.Children.Select(c => c.Value is null ? "" : ValueText(c.Value))) + "]",
        GqlValueKind.Object => "{" + string.Join(",", v.Children.Select(c => c.Name + ":" + (c.Value is null ? "" : ValueText(c.Value)))) + "}",
        _ => v.Raw,
    };

    // §5.8.1 unique, §5.8.2 input types, §5.8.3 all uses defined, §5.8.4 all defined used.
    private void VariableRules(GqlOperation op)
    {
        var defined = new Dictionary<string, GqlVariableDefinition>(StringComparer.Ordinal);
        foreach (var v in op.VariableDefinitions)
        {
            if (!defined.TryAdd(v.Variable, v))
            {
                throw Error(v.Position, $"There can be only one variable named \"${v.Variable}\".");
            }

            if (v.Type is not null && _schema.Types.TryGetValue(GqlSchema.NameOf(v.Type), out var t) &&
                t.Kind is not ("SCALAR" or "ENUM" or "INPUT_OBJECT"))
            {
                throw Error(v.Position, $"Variable \"${v.Variable}\" cannot be non-input type \"{v.Type}\".");
            }

            if (v.Type is not null && !_schema.Types.ContainsKey(GqlSchema.NameOf(v.Type)))
            {
                throw Error(v.Position, $"Unknown type \"{GqlSchema.NameOf(v.Type)}\".");
            }

            if (v.DefaultValue is not null && v.Type is not null)
            {
                CheckValue(v.DefaultValue, v.Type);
            }

            DirectiveUses(v.Directives, "VARIABLE_DEFINITION");
        }

        var used = new List<GqlValue>();
        UsedVariables(op.SelectionSet, used, new HashSet<string>(StringComparer.Ordinal));
        UsedInDirectives(op.Directives, used);
        foreach (var u in used)
        {
            if (!defined.ContainsKey(u.Raw))
            {
                var suffix = op.Name.Length > 0 ? $" by operation \"{op.Name}\"" : "";
                throw Error(u.Position, $"Variable \"${u.Raw}\" is not defined{suffix}.");
            }
        }

        foreach (var v in op.VariableDefinitions)
        {
            if (used.All(u => u.Raw != v.Variable))
            {
                throw Error(v.Position, $"Variable \"${v.Variable}\" is never used{(op.Name.Length > 0 ? $" in operation \"{op.Name}\"" : "")}.");
            }
        }
    }

    private void UsedVariables(List<GqlSelection> selections, List<GqlValue> used, HashSet<string> visited)
    {
        foreach (var s in selections)
        {
            UsedInDirectives(s.Directives, used);
            switch (s)
            {
                case GqlField f:
                    foreach (var a in f.Arguments)
                    {
                        UsedInValue(a.Value, used);
                    }

                    UsedVariables(f.SelectionSet, used, visited);
                    break;
                case GqlInlineFragment i:
                    UsedVariables(i.SelectionSet, used, visited);
                    break;
                case GqlFragmentSpread spread when visited.Add(spread.Name) && _fragments.TryGetValue(spread.Name, out var def):
                    UsedInDirectives(def.Directives, used);
                    UsedVariables(def.SelectionSet, used, visited);
                    break;
            }
        }
    }

    private static void UsedInDirectives(List<GqlDirective> directives, List<GqlValue> used)
    {
        foreach (var d in directives)
        {
            foreach (var a in d.Arguments)
            {
                UsedInValue(a.Value, used);
            }
        }
    }

    private static void UsedInValue(GqlValue? value, List<GqlValue> used)
    {
        if (value is null)
        {
            return;
        }

        if (value.Kind == GqlValueKind.Variable)
        {
            used.Add(value);
        }

        foreach (var c in value.Children)
        {
            UsedInValue(c.Value, used);
        }
    }
}
