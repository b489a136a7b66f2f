using System.Globalization;
using AgentFabric.Rego.Values;
using NJsonSchema;
using NJsonSchema.Validation;
using Newtonsoft.Json.Linq;

namespace AgentFabric.Rego.Builtins.JsonSchemas;

/// <summary>Turns the validator's errors into OPA's error objects <c>{error, type, field, desc}</c>: the field is
/// the dotted path of the failing value (<c>(root)</c> at the top), the type and description use the names and
/// wording OPA's validator gives them.</summary>
internal static class JsonSchemaErrors
{
    public static List<Value> ToValues(IEnumerable<ValidationError> errors)
    {
        var result = new List<Value>();
        foreach (var e in errors)
        {
            Add(e, result);
        }

        return result;
    }

    private static void Add(ValidationError e, List<Value> result)
    {
        // Errors about an item or property that failed its own schema are reported as the nested errors.
        if (e is ChildSchemaValidationError child && e.Kind is ValidationErrorKind.ArrayItemNotValid
            or ValidationErrorKind.AdditionalItemNotValid or ValidationErrorKind.AdditionalPropertiesNotValid)
        {
            foreach (var nested in child.Errors.Values.SelectMany(v => v))
            {
                Add(nested, result);
            }

            return;
        }

        var field = Field(e.Path);
        var schema = e.Schema;
        var (type, desc) = e.Kind switch
        {
            ValidationErrorKind.StringExpected or ValidationErrorKind.NumberExpected or ValidationErrorKind.IntegerExpected
                or ValidationErrorKind.BooleanExpected or ValidationErrorKind.ObjectExpected or ValidationErrorKind.ArrayExpected
                or ValidationErrorKind.NullExpected or ValidationErrorKind.NoTypeValidates =>
                ("invalid_type", $"Invalid type. Expected: {Expected(schema)}, given: {Given(e.Token)}"),
            ValidationErrorKind.PropertyRequired => ("required", $"{e.Property} is required"),
            ValidationErrorKind.StringTooShort => ("string_gte", $"String length must be greater than or equal to {schema?.MinLength}"),
            ValidationErrorKind.StringTooLong => ("string_lte", $"String length must be less than or equal to {schema?.MaxLength}"),
            ValidationErrorKind.NumberTooSmall when schema?.IsExclusiveMinimum == true || schema?.ExclusiveMinimum is not null =>
                ("number_gt", $"Must be greater than {Num(schema.ExclusiveMinimum ?? schema.Minimum)}"),
            ValidationErrorKind.NumberTooSmall => ("number_gte", $"Must be greater than or equal to {Num(schema?.Minimum)}"),
            ValidationErrorKind.NumberTooBig or ValidationErrorKind.IntegerTooBig when schema?.IsExclusiveMaximum == true || schema?.ExclusiveMaximum is not null =>
                ("number_lt", $"Must be less than {Num(schema.ExclusiveMaximum ?? schema.Maximum)}"),
            ValidationErrorKind.NumberTooBig or ValidationErrorKind.IntegerTooBig => ("number_lte", $"Must be less than or equal to {Num(schema?.Maximum)}"),
            ValidationErrorKind.TooManyItems => ("array_max_items", $"Array must have at most {schema?.MaxItems} items"),
            ValidationErrorKind.TooFewItems => ("array_min_items", $"Array must have at least {schema?.MinItems} items"),
            ValidationErrorKind.ItemsNotUnique => ("unique", "array items must be unique"),
            ValidationErrorKind.PatternMismatch => ("pattern", $"Does not match pattern '{schema?.Pattern}'"),
            ValidationErrorKind.NotInEnumeration => ("enum", $"{field} must be one of the following: {Enumeration(schema)}"),
            ValidationErrorKind.NoAdditionalPropertiesAllowed => ("additional_property_not_allowed", $"Additional property {e.Property} is not allowed"),
            ValidationErrorKind.NotAnyOf => ("number_any_of", "Must validate at least one schema (anyOf)"),
            ValidationErrorKind.NotOneOf => ("number_one_of", "Must validate one and only one schema (oneOf)"),
            ValidationErrorKind.NotAllOf => ("number_all_of", "Must validate all the schemas (allOf)"),
            ValidationErrorKind.ExcludedSchemaValidates => ("number_not", "Must not validate the schema (not)"),
            ValidationErrorKind.NumberNotMultipleOf or ValidationErrorKind.IntegerNotMultipleOf => ("multiple_of", $"Must be a multiple of {Num(schema?.MultipleOf)}"),
            ValidationErrorKind.TooManyProperties => ("array_max_properties", $"Must have at most {schema?.MaxProperties} properties"),
            ValidationErrorKind.TooFewProperties => ("array_min_properties", $"Must have at least {schema?.MinProperties} properties"),
            _ => ("format", $"Does not match format '{schema?.Format}'"),
        };

        // Property-level errors (a missing or extra property) belong to the object that holds the property.
        if (e.Kind is ValidationErrorKind.PropertyRequired or ValidationErrorKind.NoAdditionalPropertiesAllowed)
        {
            field = Field(Parent(e.Path));
        }

        result.Add(ObjectValue.Create(
            ("error", StringValue.Create($"{field}: {desc}")),
            ("type", StringValue.Create(type)),
            ("field", StringValue.Create(field)),
            ("desc", StringValue.Create(desc))));
    }

    // "#/a/b[0]" (the validator's JSON path) becomes "a.b.0".
    private static string Field(string? path)
    {
        var p = (path ?? "#").TrimStart('#').TrimStart('/');
        if (p.Length == 0)
        {
            return "(root)";
        }

        return p.Replace('/', '.').Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal);
    }

    private static string Parent(string? path)
    {
        var p = path ?? "#";
        var cut = Math.Max(p.LastIndexOf('/'), p.LastIndexOf('['));
        return cut <= 1 ? "#" : p[..cut];
    }

    private static string Expected(JsonSchema? schema)
    {
        if (schema is null)
        {
            return "";
        }

        var names = new List<string>();
        foreach (var (flag, name) in new[]
        {
            (JsonObjectType.Array, "array"), (JsonObjectType.Boolean, "boolean"), (JsonObjectType.Integer, "integer"),
            (JsonObjectType.Null, "null"), (JsonObjectType.Number, "number"), (JsonObjectType.Object, "object"),
            (JsonObjectType.String, "string"),
        })
        {
            if (schema.Type.HasFlag(flag))
            {
                names.Add(name);
            }
        }

        // Several allowed types are listed as "[a,b]".
        return names.Count == 1 ? names[0] : "[" + string.Join(",", names) + "]";
    }

    private static string Given(JToken? token) => token?.Type switch
    {
        JTokenType.Integer => "integer",
        JTokenType.Float => token.Value<double>() % 1 == 0 ? "integer" : "number",
        JTokenType.String or JTokenType.Date or JTokenType.Guid or JTokenType.Uri or JTokenType.TimeSpan => "string",
        JTokenType.Boolean => "boolean",
        JTokenType.Array => "array",
        JTokenType.Object => "object",
        _ => "null",
    };

    private static string Num(decimal? d) => d?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Enumeration(JsonSchema? schema) =>
        schema is null ? "" : string.Join(", ", schema.Enumeration.Select(v => Newtonsoft.Json.JsonConvert.SerializeObject(v)));
}
