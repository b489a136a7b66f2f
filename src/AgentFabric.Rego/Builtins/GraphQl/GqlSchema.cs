namespace AgentFabric.Rego.Builtins.GraphQl;

/// <summary>A schema built from a type system document plus the prelude, with extensions merged in, checked
/// against the type system rules of GraphQL spec §3. <see cref="Load"/> throws the first violation.</summary>
internal sealed partial class GqlSchema
{
    private static readonly Lazy<GqlSchemaDocument> Prelude = new(() =>
    {
        var doc = GqlParser.ParseSchema(GqlPrelude.Text);
        foreach (var d in doc.Definitions)
        {
            d.BuiltIn = true;
        }

        return doc;
    });

    public Dictionary<string, GqlDefinition> Types { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, GqlDirectiveDefinition> Directives { get; } = new(StringComparer.Ordinal);

    public GqlDefinition? Query { get; private set; }

    public GqlDefinition? Mutation { get; private set; }

    public GqlDefinition? Subscription { get; private set; }

    private readonly Dictionary<string, List<GqlDefinition>> _possibleTypes = new(StringComparer.Ordinal);

    /// <summary>The object types a composite type may resolve to: itself for objects, members for unions,
    /// implementers for interfaces.</summary>
    public IReadOnlyList<GqlDefinition> PossibleTypes(GqlDefinition def) =>
        _possibleTypes.TryGetValue(def.Name, out var list) ? list : [];

    private void AddPossibleType(string name, GqlDefinition? def)
    {
        if (def is null)
        {
            return;
        }

        if (!_possibleTypes.TryGetValue(name, out var list))
        {
            list = [];
            _possibleTypes[name] = list;
        }

        list.Add(def);
    }

    private static GqlException Error(GqlPosition at, string message) => new(message, at.Line, at.Column);

    public static GqlSchema Load(GqlSchemaDocument user)
    {
        var schema = new GqlSchema();
        var prelude = Prelude.Value;
        var definitions = new List<GqlDefinition>();
        foreach (var def in prelude.Definitions.Select(Clone).Concat(user.Definitions.Select(Clone)))
        {
            if (schema.Types.ContainsKey(def.Name))
            {
                throw Error(def.Position, $"Cannot redeclare type {def.Name}.");
            }

            schema.Types[def.Name] = def;
            definitions.Add(def);
        }

        // Extensions of a type that was never defined define it (federated schemas rely on this).
        foreach (var ext in user.Extensions)
        {
            if (!schema.Types.TryGetValue(ext.Name, out var def))
            {
                def = new GqlDefinition { Kind = ext.Kind, Name = ext.Name, Position = ext.Position };
                schema.Types[ext.Name] = def;
                definitions.Add(def);
            }

            if (def.Kind != ext.Kind)
            {
                throw Error(ext.Position, $"Cannot extend type {ext.Name} because the base type is a {def.Kind}, not {ext.Kind}.");
            }

            def.Directives.AddRange(ext.Directives);
            def.Interfaces.AddRange(ext.Interfaces);
            def.Fields.AddRange(ext.Fields);
            def.Types.AddRange(ext.Types);
            def.EnumValues.AddRange(ext.EnumValues);
        }

        foreach (var def in definitions)
        {
            switch (def.Kind)
            {
                case "UNION":
                    foreach (var t in def.Types)
                    {
                        schema.AddPossibleType(def.Name, schema.Types.GetValueOrDefault(t));
                    }

                    break;
                case "OBJECT" or "INPUT_OBJECT":
                    foreach (var i in def.Interfaces)
                    {
                        schema.AddPossibleType(i, def);
                    }

                    schema.AddPossibleType(def.Name, def);
                    break;
                case "INTERFACE":
                    foreach (var i in def.Interfaces)
                    {
                        schema.AddPossibleType(i, def);
                    }

                    break;
            }
        }

        foreach (var dir in prelude.Directives.Concat(user.Directives))
        {
            if (schema.Directives.ContainsKey(dir.Name))
            {
                throw Error(dir.Position, $"Cannot redeclare directive {dir.Name}.");
            }

            schema.Directives[dir.Name] = dir;
        }

        if (user.Schema.Count > 1)
        {
            throw Error(user.Schema[1].Position, "Cannot have multiple schema entry points, consider schema extensions instead.");
        }

        foreach (var entry in user.Schema.Concat(user.SchemaExtension))
        {
            foreach (var (operation, type) in entry.OperationTypes)
            {
                if (!schema.Types.TryGetValue(type, out var def))
                {
                    throw Error(entry.Position, $"Schema root {operation} refers to a type {type} that does not exist.");
                }

                switch (operation)
                {
                    case "query": schema.Query = def; break;
                    case "mutation": schema.Mutation = def; break;
                    case "subscription": schema.Subscription = def; break;
                }
            }
        }

        foreach (var def in definitions)
        {
            schema.ValidateDefinition(def);
        }

        schema.ValidateDirectiveDefinitions();
        foreach (var entry in user.Schema.Concat(user.SchemaExtension))
        {
            schema.ValidateDirectives(entry.Directives, "SCHEMA", null);
        }

        // §3.3.1 default root operation type names apply only without a schema definition.
        if (user.Schema.Count == 0)
        {
            schema.Query ??= schema.Types.GetValueOrDefault("Query");
            schema.Mutation ??= schema.Types.GetValueOrDefault("Mutation");
            schema.Subscription ??= schema.Types.GetValueOrDefault("Subscription");
        }

        // §4.1 the introspection meta-fields are available on the query root.
        schema.Query?.Fields.AddRange(
        [
            new GqlFieldDefinition { Name = "__schema", Type = new GqlType { NamedType = "__Schema", NonNull = true } },
            new GqlFieldDefinition
            {
                Name = "__type",
                Type = new GqlType { NamedType = "__Type" },
                Arguments = [new GqlFieldDefinition { Name = "name", Type = new GqlType { NamedType = "String", NonNull = true } }],
            },
        ]);
        return schema;
    }

    // Loading merges extensions into definitions, so it works on copies: the caller's document is returned unchanged.
    private static GqlDefinition Clone(GqlDefinition d) => new()
    {
        Kind = d.Kind,
        Description = d.Description,
        Name = d.Name,
        Directives = [.. d.Directives],
        Interfaces = [.. d.Interfaces],
        Fields = [.. d.Fields],
        Types = [.. d.Types],
        EnumValues = [.. d.EnumValues],
        BuiltIn = d.BuiltIn,
        Position = d.Position,
    };

    /// <summary>The name of the innermost named type of a reference.</summary>
    public static string NameOf(GqlType t) => t.Elem is null ? t.NamedType : NameOf(t.Elem);
}
