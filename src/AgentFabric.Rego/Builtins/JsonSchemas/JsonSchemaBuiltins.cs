using System.Text.Json;
using AgentFabric.Rego.Values;
using NJsonSchema;

namespace AgentFabric.Rego.Builtins.JsonSchemas;

internal static class JsonSchemaBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        var doc = RegoType.AnyOf(RegoType.String, RegoType.ObjectOf(RegoType.Any, RegoType.Any));
        var error = RegoType.ObjectWith([("desc", RegoType.String), ("error", RegoType.String), ("field", RegoType.String), ("type", RegoType.String)]);
        r.Register("json.verify_schema", [doc], RegoType.Tuple(RegoType.Boolean, RegoType.AnyOf(RegoType.Null, RegoType.String)), static (ctx, a) =>
        {
            var schema = BuiltinArgs.OneOf(a, 0, ValueKind.String, ValueKind.Object);
            try
            {
                CompileSchema(ctx, schema);
                return ArrayValue.Create(BooleanValue.True, NullValue.Instance);
            }
            catch (RegoBuiltinException e)
            {
                return ArrayValue.Create(BooleanValue.False, StringValue.Create("jsonschema: " + e.Message));
            }
        });
        r.Register("json.match_schema", [doc, doc], RegoType.Tuple(RegoType.Boolean, RegoType.ArrayOf(error)), static (ctx, a) =>
        {
            var document = BuiltinArgs.OneOf(a, 0, ValueKind.String, ValueKind.Object);
            var schema = CompileSchema(ctx, BuiltinArgs.OneOf(a, 1, ValueKind.String, ValueKind.Object));
            var json = document is StringValue s ? ParseJsonText(s.Value).ToJson() : document.ToJson();
            var errors = JsonSchemaErrors.ToValues(schema.Validate(json));
            return ArrayValue.Create(BooleanValue.Create(errors.Count == 0), ArrayValue.CreateRange(errors));
        });
    }

    private static Value ParseJsonText(string text)
    {
        try
        {
            return Value.ParseJson(text);
        }
        catch (JsonException e)
        {
            throw new RegoBuiltinException(e.Message);
        }
    }

    // Compiled schemas are kept for the evaluation: a policy usually matches many documents against one schema.
    private static JsonSchema CompileSchema(BuiltinContext context, Value schema)
    {
        var key = ("json.schema", schema);
        if (context.Cache.TryGetValue(key, out var cached) && cached is JsonSchema hit)
        {
            return hit;
        }

        var compiled = CompileSchema(schema, context.CancellationToken);
        context.Cache[key] = compiled;
        return compiled;
    }

    // A schema given as text is parsed first, so it is checked in the same form as one given as an object.
    private static JsonSchema CompileSchema(Value schema, CancellationToken cancellationToken)
    {
        var value = schema is StringValue s ? ParseJsonText(s.Value) : schema;
        if (JsonSchemaCheck.FirstError(value) is { } problem)
        {
            throw new RegoBuiltinException(problem);
        }

        // JSON Schema draft 6 §4.4: the boolean schemas true and false accept everything and nothing.
        var json = value switch
        {
            BooleanValue { Value: true } => "{}",
            BooleanValue => "{\"not\":{}}",
            _ => value.ToJson(),
        };
        try
        {
            return JsonSchema.FromJsonAsync(json, null, s => new LocalReferenceResolver(s), cancellationToken).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new RegoBuiltinException(e.InnerException is { } inner ? e.Message + ": " + inner.Message : e.Message);
        }
    }

    /// <summary>Resolves only references inside the schema document: a policy decision never reads files or URLs.</summary>
    private sealed class LocalReferenceResolver(JsonSchema root) : JsonReferenceResolver(new JsonSchemaAppender(root, new DefaultTypeNameGenerator()))
    {
        public override Task<NJsonSchema.References.IJsonReference> ResolveFileReferenceAsync(string filePath, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException($"external schema reference {filePath} is not allowed");

        public override Task<NJsonSchema.References.IJsonReference> ResolveUrlReferenceAsync(string url, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException($"external schema reference {url} is not allowed");
    }
}
