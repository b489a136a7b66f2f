namespace AgentFabric.Rego.Builtins.GraphQl;

// GraphQL spec §3: type system documents (definitions and extensions).
internal sealed partial class GqlParser
{
    private static readonly HashSet<string> DirectiveLocations =
    [
        // §3.13 ExecutableDirectiveLocation and TypeSystemDirectiveLocation.
        "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT",
        "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE",
        "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT", "INPUT_FIELD_DEFINITION",
    ];

    private GqlSchemaDocument SchemaDocument()
    {
        var doc = new GqlSchemaDocument();
        while (Peek().Kind != GqlTokenKind.Eof)
        {
            if (_err is not null)
            {
                return doc;
            }

            var description = Description();
            var t = Peek();
            if (t.Kind != GqlTokenKind.Name)
            {
                Unexpected();
                break;
            }

            switch (t.Value)
            {
                case "scalar" or "type" or "interface" or "union" or "enum" or "input":
                    doc.Definitions.Add(TypeDefinition(description ?? "", extension: false));
                    break;
                case "schema":
                    ExpectKeyword("schema");
                    doc.Schema.Add(SchemaDefinition(description ?? "", extension: false));
                    break;
                case "directive":
                    doc.Directives.Add(DirectiveDefinition(description ?? ""));
                    break;
                case "extend":
                    // §3.1 type system extensions carry no description.
                    if (!string.IsNullOrEmpty(description))
                    {
                        Unexpected(_prev);
                    }

                    Extension(doc);
                    break;
                default:
                    Unexpected();
                    return doc;
            }
        }

        return doc;
    }

    /// <summary>The description before a definition, or null when there is none.</summary>
    private string? Description()
    {
        var t = Peek();
        return t.Kind is GqlTokenKind.String or GqlTokenKind.BlockString ? Next().Value : null;
    }

    private void Extension(GqlSchemaDocument doc)
    {
        ExpectKeyword("extend");
        var t = Peek();
        switch (t.Value)
        {
            case "schema":
                ExpectKeyword("schema");
                doc.SchemaExtension.Add(SchemaDefinition("", extension: true));
                break;
            case "scalar" or "type" or "interface" or "union" or "enum" or "input":
                doc.Extensions.Add(TypeDefinition("", extension: true));
                break;
            default:
                Unexpected();
                break;
        }
    }

    private GqlSchemaDefinition SchemaDefinition(string description, bool extension)
    {
        var def = new GqlSchemaDefinition { Description = description, Position = PeekPos() };
        def.Directives = Directives(true);
        Some(GqlTokenKind.BraceL, GqlTokenKind.BraceR, () =>
        {
            var operation = OperationType();
            Expect(GqlTokenKind.Colon);
            def.OperationTypes.Add((operation, Name()));
        });
        if (extension && def.Directives.Count == 0 && def.OperationTypes.Count == 0)
        {
            Unexpected();
        }

        return def;
    }

    private GqlDefinition TypeDefinition(string description, bool extension)
    {
        var keyword = Peek().Value;
        ExpectKeyword(keyword);
        var def = new GqlDefinition { Description = description, Position = PeekPos() };
        def.Name = Name();
        switch (keyword)
        {
            case "scalar":
                def.Kind = "SCALAR";
                def.Directives = Directives(true);
                if (extension && def.Directives.Count == 0)
                {
                    Unexpected();
                }

                break;
            case "type" or "interface":
                def.Kind = keyword == "type" ? "OBJECT" : "INTERFACE";
                def.Interfaces = ImplementsInterfaces();
                def.Directives = Directives(true);
                def.Fields = FieldsDefinition(input: false);
                if (extension && def.Interfaces.Count == 0 && def.Directives.Count == 0 && def.Fields.Count == 0)
                {
                    Unexpected();
                }

                break;
            case "union":
                def.Kind = "UNION";
                def.Directives = Directives(true);
                def.Types = UnionMemberTypes();
                if (extension && def.Directives.Count == 0 && def.Types.Count == 0)
                {
                    Unexpected();
                }

                break;
            case "enum":
                def.Kind = "ENUM";
                def.Directives = Directives(true);
                Some(GqlTokenKind.BraceL, GqlTokenKind.BraceR, () =>
                {
                    var value = new GqlEnumValueDefinition { Position = PeekPos() };
                    value.Description = Description() ?? "";
                    value.Name = Name();
                    value.Directives = Directives(true);
                    def.EnumValues.Add(value);
                });
                if (extension && def.Directives.Count == 0 && def.EnumValues.Count == 0)
                {
                    Unexpected();
                }

                break;
            default:
                def.Kind = "INPUT_OBJECT";
                def.Directives = Directives(true);
                def.Fields = FieldsDefinition(input: true);
                if (extension && def.Directives.Count == 0 && def.Fields.Count == 0)
                {
                    Unexpected();
                }

                break;
        }

        return def;
    }

    // §3.6: ImplementsInterfaces, with an optional leading "&".
    private List<string> ImplementsInterfaces()
    {
        var types = new List<string>();
        if (Peek().Value != "implements")
        {
            return types;
        }

        Next();
        Skip(GqlTokenKind.Amp);
        types.Add(Name());
        while (Skip(GqlTokenKind.Amp) && _err is null)
        {
            types.Add(Name());
        }

        return types;
    }

    // §3.8: UnionMemberTypes, with an optional leading "|".
    private List<string> UnionMemberTypes()
    {
        var types = new List<string>();
        if (!Skip(GqlTokenKind.Equals))
        {
            return types;
        }

        Skip(GqlTokenKind.Pipe);
        types.Add(Name());
        while (Skip(GqlTokenKind.Pipe) && _err is null)
        {
            types.Add(Name());
        }

        return types;
    }

    private List<GqlFieldDefinition> FieldsDefinition(bool input)
    {
        var fields = new List<GqlFieldDefinition>();
        Some(GqlTokenKind.BraceL, GqlTokenKind.BraceR, () => fields.Add(input ? InputValueDefinition() : FieldDefinition()));
        return fields;
    }

    private GqlFieldDefinition FieldDefinition()
    {
        var def = new GqlFieldDefinition { Position = PeekPos() };
        def.Description = Description() ?? "";
        def.Name = Name();
        def.Arguments = ArgumentDefinitions();
        Expect(GqlTokenKind.Colon);
        def.Type = TypeReference();
        def.Directives = Directives(true);
        return def;
    }

    private List<GqlFieldDefinition> ArgumentDefinitions()
    {
        var args = new List<GqlFieldDefinition>();
        Some(GqlTokenKind.ParenL, GqlTokenKind.ParenR, () => args.Add(InputValueDefinition()));
        return args;
    }

    // §3.6.1 InputValueDefinition: arguments and input fields.
    private GqlFieldDefinition InputValueDefinition()
    {
        var def = new GqlFieldDefinition { Position = PeekPos() };
        def.Description = Description() ?? "";
        def.Name = Name();
        Expect(GqlTokenKind.Colon);
        def.Type = TypeReference();
        if (Skip(GqlTokenKind.Equals))
        {
            def.DefaultValue = ValueLiteral(true);
        }

        def.Directives = Directives(true);
        return def;
    }

    // §3.13 DirectiveDefinition.
    private GqlDirectiveDefinition DirectiveDefinition(string description)
    {
        ExpectKeyword("directive");
        Expect(GqlTokenKind.At);
        var def = new GqlDirectiveDefinition { Description = description, Position = PeekPos() };
        def.Name = Name();
        def.Arguments = ArgumentDefinitions();
        if (Peek() is { Kind: GqlTokenKind.Name, Value: "repeatable" })
        {
            def.IsRepeatable = true;
            Next();
        }

        ExpectKeyword("on");
        Skip(GqlTokenKind.Pipe);
        def.Locations.Add(DirectiveLocation());
        while (Skip(GqlTokenKind.Pipe) && _err is null)
        {
            def.Locations.Add(DirectiveLocation());
        }

        return def;
    }

    private string DirectiveLocation()
    {
        var t = Expect(GqlTokenKind.Name);
        if (DirectiveLocations.Contains(t.Value))
        {
            return t.Value;
        }

        Unexpected(t);
        return "";
    }
}
