namespace AgentFabric.Rego.Builtins.GraphQl;

// The GraphQL AST in the shape OPA exposes to policies: the field names, value kinds and nesting of the Go library
// OPA embeds, so policies written against OPA see the same documents. Positions are kept for error messages only.

/// <summary>Where a node starts; 0:0 for nodes built from a policy-supplied AST object.</summary>
internal readonly record struct GqlPosition(int Line, int Column);

/// <summary>An executable document (GraphQL spec §2.2).</summary>
internal sealed class GqlQueryDocument
{
    public List<GqlOperation> Operations { get; } = [];

    public List<GqlFragmentDefinition> Fragments { get; } = [];
}

/// <summary>A type system document (GraphQL spec §3).</summary>
internal sealed class GqlSchemaDocument
{
    public List<GqlSchemaDefinition> Schema { get; } = [];

    public List<GqlSchemaDefinition> SchemaExtension { get; } = [];

    public List<GqlDirectiveDefinition> Directives { get; } = [];

    public List<GqlDefinition> Definitions { get; } = [];

    public List<GqlDefinition> Extensions { get; } = [];
}

internal sealed class GqlOperation
{
    public string Operation { get; set; } = "";

    public string Name { get; set; } = "";

    public List<GqlVariableDefinition> VariableDefinitions { get; set; } = [];

    public List<GqlDirective> Directives { get; set; } = [];

    public List<GqlSelection> SelectionSet { get; set; } = [];

    public GqlPosition Position { get; set; }
}

internal sealed class GqlVariableDefinition
{
    public string Variable { get; set; } = "";

    public GqlType? Type { get; set; }

    public GqlValue? DefaultValue { get; set; }

    public List<GqlDirective> Directives { get; set; } = [];

    public GqlPosition Position { get; set; }
}

internal sealed class GqlFragmentDefinition
{
    public string Name { get; set; } = "";

    public List<GqlVariableDefinition> VariableDefinition { get; set; } = [];

    public string TypeCondition { get; set; } = "";

    public List<GqlDirective> Directives { get; set; } = [];

    public List<GqlSelection> SelectionSet { get; set; } = [];

    public GqlPosition Position { get; set; }
}

/// <summary>A field, fragment spread or inline fragment (GraphQL spec §2.4).</summary>
internal abstract class GqlSelection
{
    public List<GqlDirective> Directives { get; set; } = [];

    public GqlPosition Position { get; set; }
}

internal sealed class GqlField : GqlSelection
{
    public string Alias { get; set; } = "";

    public string Name { get; set; } = "";

    public List<GqlArgument> Arguments { get; set; } = [];

    public List<GqlSelection> SelectionSet { get; set; } = [];
}

internal sealed class GqlFragmentSpread : GqlSelection
{
    public string Name { get; set; } = "";
}

internal sealed class GqlInlineFragment : GqlSelection
{
    public string TypeCondition { get; set; } = "";

    public List<GqlSelection> SelectionSet { get; set; } = [];
}

internal sealed class GqlArgument
{
    public string Name { get; set; } = "";

    public GqlValue? Value { get; set; }

    public GqlPosition Position { get; set; }
}

internal sealed class GqlDirective
{
    public string Name { get; set; } = "";

    public List<GqlArgument> Arguments { get; set; } = [];

    public string Location { get; set; } = "";

    public GqlPosition Position { get; set; }
}

/// <summary>Value kinds, numbered as in the AST OPA returns (<c>"Kind": 0</c> is a variable).</summary>
internal enum GqlValueKind
{
    Variable = 0,
    Int = 1,
    Float = 2,
    String = 3,
    Block = 4,
    Boolean = 5,
    Null = 6,
    Enum = 7,
    List = 8,
    Object = 9,
}

internal sealed class GqlValue
{
    public string Raw { get; set; } = "";

    public List<GqlChildValue> Children { get; set; } = [];

    public GqlValueKind Kind { get; set; }

    public GqlPosition Position { get; set; }
}

internal sealed class GqlChildValue
{
    public string Name { get; set; } = "";

    public GqlValue? Value { get; set; }

    public GqlPosition Position { get; set; }
}

/// <summary>A type reference: a named type, or a list of <see cref="Elem"/>, optionally non-null.</summary>
internal sealed class GqlType
{
    public string NamedType { get; set; } = "";

    public GqlType? Elem { get; set; }

    public bool NonNull { get; set; }

    public override string ToString() =>
        (Elem is null ? NamedType : "[" + Elem + "]") + (NonNull ? "!" : "");
}

internal sealed class GqlSchemaDefinition
{
    public string Description { get; set; } = "";

    public List<GqlDirective> Directives { get; set; } = [];

    public List<(string Operation, string Type)> OperationTypes { get; set; } = [];

    public GqlPosition Position { get; set; }
}

internal sealed class GqlDirectiveDefinition
{
    public string Description { get; set; } = "";

    public string Name { get; set; } = "";

    public List<GqlFieldDefinition> Arguments { get; set; } = [];

    public List<string> Locations { get; set; } = [];

    public bool IsRepeatable { get; set; }

    public GqlPosition Position { get; set; }
}

/// <summary>A named type's definition or extension (scalar, object, interface, union, enum, input object).</summary>
internal sealed class GqlDefinition
{
    public string Kind { get; set; } = "";

    public string Description { get; set; } = "";

    public string Name { get; set; } = "";

    public List<GqlDirective> Directives { get; set; } = [];

    public List<string> Interfaces { get; set; } = [];

    public List<GqlFieldDefinition> Fields { get; set; } = [];

    public List<string> Types { get; set; } = [];

    public List<GqlEnumValueDefinition> EnumValues { get; set; } = [];

    public bool BuiltIn { get; set; }

    public GqlPosition Position { get; set; }
}

/// <summary>A field, argument or input field definition (they share one shape, with or without arguments).</summary>
internal sealed class GqlFieldDefinition
{
    public string Description { get; set; } = "";

    public string Name { get; set; } = "";

    public List<GqlFieldDefinition> Arguments { get; set; } = [];

    public GqlValue? DefaultValue { get; set; }

    public GqlType? Type { get; set; }

    public List<GqlDirective> Directives { get; set; } = [];

    public GqlPosition Position { get; set; }
}

internal sealed class GqlEnumValueDefinition
{
    public string Description { get; set; } = "";

    public string Name { get; set; } = "";

    public List<GqlDirective> Directives { get; set; } = [];

    public GqlPosition Position { get; set; }
}
