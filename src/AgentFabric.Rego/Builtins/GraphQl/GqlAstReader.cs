using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.GraphQl;

/// <summary>Reads a GraphQL AST a policy passes as an object (the shape <see cref="GqlAstValue"/> writes). Members
/// that are absent take their zero value, as when OPA decodes the object into the Go AST.</summary>
internal static class GqlAstReader
{
    public static GqlQueryDocument Query(ObjectValue o)
    {
        var doc = new GqlQueryDocument();
        doc.Operations.AddRange(Objects(o, "Operations").Select(Operation));
        doc.Fragments.AddRange(Objects(o, "Fragments").Select(Fragment));
        return doc;
    }

    public static GqlSchemaDocument Schema(ObjectValue o)
    {
        var doc = new GqlSchemaDocument();
        doc.Schema.AddRange(Objects(o, "Schema").Select(SchemaDefinition));
        doc.SchemaExtension.AddRange(Objects(o, "SchemaExtension").Select(SchemaDefinition));
        doc.Directives.AddRange(Objects(o, "Directives").Select(d => new GqlDirectiveDefinition
        {
            Description = Str(d, "Description"),
            Name = Str(d, "Name"),
            Arguments = Objects(d, "Arguments").Select(FieldDefinition).ToList(),
            Locations = Strings(d, "Locations"),
            IsRepeatable = Bool(d, "IsRepeatable"),
        }));
        doc.Definitions.AddRange(Objects(o, "Definitions").Select(Definition));
        doc.Extensions.AddRange(Objects(o, "Extensions").Select(Definition));
        return doc;
    }

    // Members of the wrong type make the object unusable as an AST, as decoding it into the Go structs fails in OPA.
    private static T Member<T>(ObjectValue o, string key, T absent, string expected)
        where T : class? =>
        o.Get(key) switch
        {
            null => absent,
            T v => v,
            var other => throw new GqlException($"cannot unmarshal {other.TypeName} into AST field {key} of type {expected}", 0, 0),
        };

    private static string Str(ObjectValue o, string key) => Member<Value>(o, key, StringValue.Empty, "string") switch
    {
        StringValue s => s.Value,
        NullValue => "",
        var other => throw new GqlException($"cannot unmarshal {other.TypeName} into AST field {key} of type string", 0, 0),
    };

    private static bool Bool(ObjectValue o, string key) => Member<Value>(o, key, BooleanValue.False, "bool") switch
    {
        BooleanValue b => b.Value,
        NullValue => false,
        var other => throw new GqlException($"cannot unmarshal {other.TypeName} into AST field {key} of type bool", 0, 0),
    };

    private static ObjectValue? Obj(ObjectValue o, string key) =>
        o.Get(key) is NullValue ? null : Member<ObjectValue?>(o, key, null, "object");

    private static IEnumerable<ObjectValue> Objects(ObjectValue o, string key)
    {
        if (o.Get(key) is null or NullValue)
        {
            return [];
        }

        var list = Member(o, key, ArrayValue.Empty, "array");
        return list.Items.ToArray().Select(item => item as ObjectValue
            ?? throw new GqlException($"cannot unmarshal {item.TypeName} into an element of AST field {key}", 0, 0)).ToList();
    }

    private static List<string> Strings(ObjectValue o, string key)
    {
        if (o.Get(key) is null or NullValue)
        {
            return [];
        }

        var list = Member(o, key, ArrayValue.Empty, "array");
        return list.Items.ToArray().Select(item => item is StringValue s ? s.Value
            : throw new GqlException($"cannot unmarshal {item.TypeName} into an element of AST field {key}", 0, 0)).ToList();
    }

    private static GqlOperation Operation(ObjectValue o) => new()
    {
        Operation = Str(o, "Operation"),
        Name = Str(o, "Name"),
        VariableDefinitions = Objects(o, "VariableDefinitions").Select(VariableDefinition).ToList(),
        Directives = Directives(o),
        SelectionSet = Selections(o),
    };

    private static GqlVariableDefinition VariableDefinition(ObjectValue o) => new()
    {
        Variable = Str(o, "Variable"),
        Type = Type(Obj(o, "Type")),
        DefaultValue = ValueNode(Obj(o, "DefaultValue")),
        Directives = Directives(o),
    };

    private static GqlFragmentDefinition Fragment(ObjectValue o) => new()
    {
        Name = Str(o, "Name"),
        VariableDefinition = Objects(o, "VariableDefinition").Select(VariableDefinition).ToList(),
        TypeCondition = Str(o, "TypeCondition"),
        Directives = Directives(o),
        SelectionSet = Selections(o),
    };

    // A selection's kind is implied by its members: fields have an alias or arguments, inline fragments a type
    // condition or a selection set without a name, spreads only a name.
    private static List<GqlSelection> Selections(ObjectValue o) => Objects(o, "SelectionSet").Select(Selection).ToList();

    private static GqlSelection Selection(ObjectValue o)
    {
        if (o.ContainsKey(StringValue.Create("Alias")) || o.ContainsKey(StringValue.Create("Arguments")))
        {
            return new GqlField
            {
                Alias = Str(o, "Alias"),
                Name = Str(o, "Name"),
                Arguments = Arguments(o),
                Directives = Directives(o),
                SelectionSet = Selections(o),
            };
        }

        if (o.ContainsKey(StringValue.Create("TypeCondition")) || o.ContainsKey(StringValue.Create("SelectionSet")))
        {
            return new GqlInlineFragment { TypeCondition = Str(o, "TypeCondition"), Directives = Directives(o), SelectionSet = Selections(o) };
        }

        return new GqlFragmentSpread { Name = Str(o, "Name"), Directives = Directives(o) };
    }

    private static List<GqlArgument> Arguments(ObjectValue o) =>
        Objects(o, "Arguments").Select(a => new GqlArgument { Name = Str(a, "Name"), Value = ValueNode(Obj(a, "Value")) }).ToList();

    private static List<GqlDirective> Directives(ObjectValue o) =>
        Objects(o, "Directives").Select(d => new GqlDirective { Name = Str(d, "Name"), Arguments = Arguments(d), Location = Str(d, "Location") }).ToList();

    private static GqlValue? ValueNode(ObjectValue? o)
    {
        if (o is null)
        {
            return null;
        }

        var kind = o.Get("Kind") is NumberValue n && n.TryGetInt32(out var k) ? (GqlValueKind)k : GqlValueKind.Variable;
        return new GqlValue
        {
            Raw = Str(o, "Raw"),
            Kind = kind,
            Children = Objects(o, "Children").Select(c => new GqlChildValue { Name = Str(c, "Name"), Value = ValueNode(Obj(c, "Value")) }).ToList(),
        };
    }

    private static GqlType? Type(ObjectValue? o) => o is null ? null : new GqlType
    {
        NamedType = Str(o, "NamedType"),
        Elem = Type(Obj(o, "Elem")),
        NonNull = Bool(o, "NonNull"),
    };

    private static GqlSchemaDefinition SchemaDefinition(ObjectValue o) => new()
    {
        Description = Str(o, "Description"),
        Directives = Directives(o),
        OperationTypes = Objects(o, "OperationTypes").Select(t => (Str(t, "Operation"), Str(t, "Type"))).ToList(),
    };

    private static GqlDefinition Definition(ObjectValue o) => new()
    {
        Kind = Str(o, "Kind"),
        Description = Str(o, "Description"),
        Name = Str(o, "Name"),
        Directives = Directives(o),
        Interfaces = Strings(o, "Interfaces"),
        Fields = Objects(o, "Fields").Select(FieldDefinition).ToList(),
        Types = Strings(o, "Types"),
        EnumValues = Objects(o, "EnumValues").Select(e => new GqlEnumValueDefinition
        {
            Description = Str(e, "Description"),
            Name = Str(e, "Name"),
            Directives = Directives(e),
        }).ToList(),
        BuiltIn = Bool(o, "BuiltIn"),
    };

    private static GqlFieldDefinition FieldDefinition(ObjectValue o) => new()
    {
        Description = Str(o, "Description"),
        Name = Str(o, "Name"),
        Arguments = Objects(o, "Arguments").Select(FieldDefinition).ToList(),
        DefaultValue = ValueNode(Obj(o, "DefaultValue")),
        Type = Type(Obj(o, "Type")),
        Directives = Directives(o),
    };
}
