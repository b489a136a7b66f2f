using AgentFabric.Rego.GoCompat;

namespace AgentFabric.Rego.Builtins.GraphQl;

// GraphQL spec §3 type validation rules, checked once all definitions and extensions are merged.
internal sealed partial class GqlSchema
{
    private void ValidateDefinition(GqlDefinition def)
    {
        foreach (var field in def.Fields)
        {
            ValidateName(field.Position, field.Name);
            ValidateTypeRef(field.Position, field.Type);
            foreach (var arg in field.Arguments)
            {
                ValidateName(arg.Position, arg.Name);
                ValidateTypeRef(arg.Position, arg.Type);
                ValidateDirectives(arg.Directives, "ARGUMENT_DEFINITION", null);
            }

            ValidateDirectives(field.Directives, def.Kind == "INPUT_OBJECT" ? "INPUT_FIELD_DEFINITION" : "FIELD_DEFINITION", null);
        }

        // §3.8 union members must be object types.
        foreach (var t in def.Types)
        {
            if (!Types.TryGetValue(t, out var member))
            {
                throw Error(def.Position, $"Undefined type {GoQuote.Quote(t)}.");
            }

            if (member.Kind != "OBJECT")
            {
                throw Error(def.Position, $"{def.Kind} type \"{def.Name}\" can only include OBJECT types, it cannot include \"{t}\"");
            }
        }

        foreach (var i in def.Interfaces)
        {
            ValidateImplements(def, i);
        }

        switch (def.Kind)
        {
            case "OBJECT" or "INTERFACE":
                // §3.6 objects and interfaces define one or more fields, all of output types.
                if (def.Fields.Count == 0)
                {
                    throw Error(def.Position, $"{def.Kind} {def.Name}: must define one or more fields.");
                }

                foreach (var field in def.Fields)
                {
                    if (field.Type is not null && Types.TryGetValue(NameOf(field.Type), out var t) && t.Kind == "INPUT_OBJECT")
                    {
                        throw Error(field.Position, $"{def.Kind} {def.Name}: field must be one of SCALAR, OBJECT, INTERFACE, UNION, ENUM.");
                    }
                }

                break;
            case "ENUM":
                if (def.EnumValues.Count == 0)
                {
                    throw Error(def.Position, $"{def.Kind} {def.Name}: must define one or more unique enum values.");
                }

                foreach (var value in def.EnumValues)
                {
                    if (value.Name is "true" or "false" or "null")
                    {
                        throw Error(value.Position, $"{def.Kind} {def.Name}: non-enum value {value.Name}.");
                    }

                    ValidateDirectives(value.Directives, "ENUM_VALUE", null);
                }

                break;
            case "INPUT_OBJECT":
                // §3.10 input objects define one or more fields, all of input types.
                if (def.Fields.Count == 0)
                {
                    throw Error(def.Position, $"{def.Kind} {def.Name}: must define one or more input fields.");
                }

                foreach (var field in def.Fields)
                {
                    if (field.Type is not null && Types.TryGetValue(NameOf(field.Type), out var t) && t.Kind is not ("SCALAR" or "ENUM" or "INPUT_OBJECT"))
                    {
                        throw Error(field.Position, $"{def.Kind} {def.Name}: field must be one of SCALAR, ENUM, INPUT_OBJECT.");
                    }
                }

                break;
        }

        for (var i = 0; i < def.Fields.Count; i++)
        {
            for (var j = i + 1; j < def.Fields.Count; j++)
            {
                if (def.Fields[i].Name == def.Fields[j].Name)
                {
                    throw Error(def.Fields[j].Position, $"Field {def.Name}.{def.Fields[j].Name} can only be defined once.");
                }
            }
        }

        if (!def.BuiltIn)
        {
            ValidateName(def.Position, def.Name);
        }

        ValidateDirectives(def.Directives, def.Kind, null);
    }

    // §3.6 IsValidImplementation, and §3.7 transitively implemented interfaces must be declared too.
    private void ValidateImplements(GqlDefinition def, string name)
    {
        if (!Types.TryGetValue(name, out var intf))
        {
            throw Error(def.Position, $"Undefined type {GoQuote.Quote(name)}.");
        }

        if (intf.Kind != "INTERFACE")
        {
            throw Error(def.Position, $"{def.Name} is a non interface type {name}.");
        }

        foreach (var required in intf.Fields)
        {
            var found = def.Fields.FirstOrDefault(f => f.Name == required.Name)
                ?? throw Error(def.Position, $"For {def.Name} to implement {name} it must have a field called {required.Name}.");
            if (required.Type is not null && found.Type is not null && !IsCovariant(required.Type, found.Type))
            {
                throw Error(found.Position, $"For {def.Name} to implement {name} the field {required.Name} must have type {required.Type}.");
            }

            foreach (var arg in required.Arguments)
            {
                var foundArg = found.Arguments.FirstOrDefault(a => a.Name == arg.Name)
                    ?? throw Error(found.Position, $"For {def.Name} to implement {name} the field {required.Name} must have the same arguments but it is missing {arg.Name}.");
                if (arg.Type?.ToString() != foundArg.Type?.ToString())
                {
                    throw Error(foundArg.Position, $"For {def.Name} to implement {name} the field {required.Name} must have the same arguments but {arg.Name} has the wrong type.");
                }
            }

            foreach (var extra in found.Arguments)
            {
                if (required.Arguments.All(a => a.Name != extra.Name) && extra.Type is { NonNull: true } && extra.DefaultValue is null)
                {
                    throw Error(extra.Position, $"For {def.Name} to implement {name} any additional arguments on {required.Name} must be optional or have a default value but {extra.Name} is required.");
                }
            }
        }

        foreach (var transitive in intf.Interfaces)
        {
            if (!def.Interfaces.Contains(transitive))
            {
                throw Error(def.Position, transitive != def.Name
                    ? $"{def.Name} must implement {transitive} because it is implemented by {name}."
                    : $"{def.Name} must not implement {transitive} because it is implemented by {name}.");
            }
        }
    }

    // §3.6 IsValidImplementationFieldType: the implementing field's type may be a subtype.
    private bool IsCovariant(GqlType required, GqlType actual)
    {
        if (required.NonNull && !actual.NonNull)
        {
            return false;
        }

        if (required.Elem is not null || actual.Elem is not null)
        {
            return required.Elem is not null && actual.Elem is not null && IsCovariant(required.Elem, actual.Elem);
        }

        if (required.NamedType == actual.NamedType)
        {
            return true;
        }

        return Types.TryGetValue(required.NamedType, out var r) && r.Kind is "INTERFACE" or "UNION" &&
            Types.TryGetValue(actual.NamedType, out var a) && PossibleTypes(r).Contains(a);
    }

    private void ValidateDirectiveDefinitions()
    {
        foreach (var def in Directives.Values)
        {
            ValidateName(def.Position, def.Name);
            foreach (var arg in def.Arguments)
            {
                ValidateName(arg.Position, arg.Name);
                ValidateTypeRef(arg.Position, arg.Type);
                ValidateDirectives(arg.Directives, "ARGUMENT_DEFINITION", def);
            }
        }
    }

    // §3.13: directives must be defined, allowed at the location, and given their required arguments.
    internal void ValidateDirectives(List<GqlDirective> directives, string location, GqlDirectiveDefinition? current)
    {
        foreach (var dir in directives)
        {
            ValidateName(dir.Position, dir.Name);
            if (current is not null && dir.Name == current.Name)
            {
                throw Error(dir.Position, $"Directive {current.Name} cannot refer to itself.");
            }

            if (!Directives.TryGetValue(dir.Name, out var def))
            {
                throw Error(dir.Position, $"Undefined directive {dir.Name}.");
            }

            if (!def.Locations.Contains(location))
            {
                throw Error(dir.Position, $"Directive {dir.Name} is not applicable on {location}.");
            }

            foreach (var arg in dir.Arguments)
            {
                if (def.Arguments.All(a => a.Name != arg.Name))
                {
                    throw Error(arg.Position, $"Undefined argument {arg.Name} for directive {dir.Name}.");
                }
            }

            foreach (var arg in def.Arguments)
            {
                if (arg.Type is { NonNull: true } && arg.DefaultValue is null)
                {
                    var given = dir.Arguments.FirstOrDefault(a => a.Name == arg.Name);
                    if (given?.Value is null || given.Value.Kind == GqlValueKind.Null)
                    {
                        throw Error(dir.Position, $"Argument {arg.Name} for directive {dir.Name} cannot be null.");
                    }
                }
            }
        }
    }

    // §2.1.9 names starting with "__" are reserved for introspection.
    private static void ValidateName(GqlPosition at, string name)
    {
        if (name.StartsWith("__", StringComparison.Ordinal))
        {
            throw Error(at, $"Name \"{name}\" must not begin with \"__\", which is reserved by GraphQL introspection.");
        }
    }

    private void ValidateTypeRef(GqlPosition at, GqlType? type)
    {
        if (type is not null && !Types.ContainsKey(NameOf(type)))
        {
            throw Error(at, $"Undefined type {NameOf(type)}.");
        }
    }
}
