using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.JsonSchemas;

/// <summary>Structural checks of a schema document made before it is compiled, reported with the wording of the
/// validator OPA embeds (JSON Schema draft 7 §6.1.1: "type" is a simple type name or an array of them).</summary>
internal static class JsonSchemaCheck
{
    private static readonly string[] SimpleTypes = ["array", "boolean", "integer", "number", "null", "object", "string"];

    private static readonly string[] SchemaMaps = ["properties", "patternProperties", "definitions", "$defs", "dependencies"];

    private static readonly string[] SchemaLists = ["allOf", "anyOf", "oneOf"];

    private static readonly string[] SchemaSingles = ["additionalProperties", "additionalItems", "not", "if", "then", "else", "contains", "propertyNames"];

    /// <summary>The first problem found, or null.</summary>
    public static string? FirstError(Value schema)
    {
        if (schema is BooleanValue)
        {
            return null;
        }

        if (schema is not ObjectValue o)
        {
            return $"Invalid type. Expected: object, given: {TypeName(schema)}";
        }

        if (o.Get("type") is { } type)
        {
            switch (type)
            {
                case StringValue s when !SimpleTypes.Contains(s.Value):
                    return NotValid(s.Value);
                case StringValue:
                    break;
                case ArrayValue list:
                    foreach (var item in list)
                    {
                        if (item is not StringValue t)
                        {
                            return $"Invalid type. Expected: string, given: {TypeName(item)}";
                        }

                        if (!SimpleTypes.Contains(t.Value))
                        {
                            return NotValid(t.Value);
                        }
                    }

                    break;
                default:
                    return "Invalid type. Expected: string/array of strings, given: type";
            }
        }

        if (o.Get("required") is { } required && (required is not ArrayValue req || req.Items.ToArray().Any(r => r is not StringValue)))
        {
            return "Invalid type. Expected: array of strings, given: required";
        }

        foreach (var key in SchemaMaps)
        {
            if (o.Get(key) is ObjectValue map)
            {
                foreach (var (_, sub) in map)
                {
                    if (sub is ObjectValue or BooleanValue && FirstError(sub) is { } e)
                    {
                        return e;
                    }
                }
            }
        }

        foreach (var key in SchemaLists)
        {
            if (o.Get(key) is ArrayValue list)
            {
                foreach (var sub in list)
                {
                    if (FirstError(sub) is { } e)
                    {
                        return e;
                    }
                }
            }
        }

        foreach (var key in SchemaSingles)
        {
            if (o.Get(key) is ObjectValue sub && FirstError(sub) is { } e)
            {
                return e;
            }
        }

        return o.Get("items") switch
        {
            ObjectValue items => FirstError(items),
            ArrayValue tuple => tuple.Items.ToArray().Select(FirstError).FirstOrDefault(e => e is not null),
            _ => null,
        };
    }

    private static string NotValid(string given) =>
        $"has a primitive type that is NOT VALID -- given: /{given}/ Expected valid values are:[{string.Join(' ', SimpleTypes)}]";

    /// <summary>The JSON Schema type name of a value; integral numbers are "integer".</summary>
    public static string TypeName(Value v) => v switch
    {
        NullValue => "null",
        BooleanValue => "boolean",
        NumberValue n => n.TryGetBigInteger(out _) ? "integer" : "number",
        StringValue => "string",
        ArrayValue or SetValue => "array",
        _ => "object",
    };
}
