using AgentFabric.Rego.Values;


namespace AgentFabric.Rego.Builtins.GraphQl;

internal static class GraphQlBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        var anyObject = RegoType.ObjectOf(RegoType.Any, RegoType.Any);
        var doc = RegoType.AnyOf(RegoType.String, anyObject);
        r.Register("graphql.parse_query", [RegoType.String], anyObject,
            static (_, a) =>
            {
                var text = BuiltinArgs.String(a, 0);
                return GqlAstValue.ToValue(Gql(() => GqlParser.ParseQuery(text)));
            });
        r.Register("graphql.parse_schema", [RegoType.String], anyObject,
            static (_, a) =>
            {
                var text = BuiltinArgs.String(a, 0);
                return GqlAstValue.ToValue(Gql(() => GqlParser.ParseSchema(text)));
            });
        r.Register("graphql.parse", [doc, doc], RegoType.Tuple(anyObject, anyObject), GraphQlParse);
        r.Register("graphql.parse_and_verify", [doc, doc], RegoType.Tuple(RegoType.Boolean, anyObject, anyObject), GraphQlParseAndVerify);
        r.Register("graphql.is_valid", [doc, doc], RegoType.Boolean, static (ctx, a) =>
        {
            var (query, schema) = Documents(a);
            return BooleanValue.Create(TryVerify(ctx, query, schema, out _, out _));
        });
        r.Register("graphql.schema_is_valid", [doc], RegoType.Boolean, static (ctx, a) =>
        {
            var schema = BuiltinArgs.OneOf(a, 0, ValueKind.String, ValueKind.Object);
            try
            {
                LoadSchema(ctx, schema);
                return BooleanValue.True;
            }
            catch (GqlException)
            {
                return BooleanValue.False;
            }
        });
    }

    private static (Value Query, Value Schema) Documents(ReadOnlySpan<Value> a) =>
        (BuiltinArgs.OneOf(a, 0, ValueKind.String, ValueKind.Object), BuiltinArgs.OneOf(a, 1, ValueKind.String, ValueKind.Object));

    // The schema is loaded before the query is parsed, so a bad schema is reported first, as OPA does.
    private static Value GraphQlParse(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var (query, schema) = Documents(a);
        var (schemaDoc, loaded) = Gql(() => LoadSchema(context, schema));
        var queryDoc = Gql(() => QueryDocument(query));
        Gql(() =>
        {
            GqlValidator.Validate(loaded, queryDoc);
            return true;
        });
        return ArrayValue.Create(GqlAstValue.ToValue(queryDoc), GqlAstValue.ToValue(schemaDoc));
    }

    private static Value GraphQlParseAndVerify(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var (query, schema) = Documents(a);
        return TryVerify(context, query, schema, out var queryDoc, out var schemaDoc)
            ? ArrayValue.Create(BooleanValue.True, GqlAstValue.ToValue(queryDoc!), GqlAstValue.ToValue(schemaDoc!))
            : ArrayValue.Create(BooleanValue.False, ObjectValue.Empty, ObjectValue.Empty);
    }

    private static bool TryVerify(BuiltinContext context, Value query, Value schema, out GqlQueryDocument? queryDoc, out GqlSchemaDocument? schemaDoc)
    {
        queryDoc = null;
        schemaDoc = null;
        try
        {
            (schemaDoc, var loaded) = LoadSchema(context, schema);
            queryDoc = QueryDocument(query);
            GqlValidator.Validate(loaded, queryDoc);
            return true;
        }
        catch (GqlException)
        {
            return false;
        }
    }

    // A policy often checks many queries against one schema in an evaluation, so loaded schemas are kept for it.
    private static (GqlSchemaDocument Document, GqlSchema Schema) LoadSchema(BuiltinContext context, Value schema)
    {
        var key = ("graphql.schema", schema);
        if (context.Cache.TryGetValue(key, out var cached) && cached is ValueTuple<GqlSchemaDocument, GqlSchema> hit)
        {
            return hit;
        }

        var doc = SchemaDocument(schema);
        var loaded = (doc, GqlSchema.Load(doc));
        context.Cache[key] = loaded;
        return loaded;
    }

    private static GqlSchemaDocument SchemaDocument(Value v) =>
        v is StringValue s ? GqlParser.ParseSchema(s.Value) : GqlAstReader.Schema((ObjectValue)v);

    private static GqlQueryDocument QueryDocument(Value v) =>
        v is StringValue s ? GqlParser.ParseQuery(s.Value) : GqlAstReader.Query((ObjectValue)v);

    // OPA reports GraphQL errors with the position of the offending token.
    private static T Gql<T>(Func<T> run)
    {
        try
        {
            return run();
        }
        catch (GqlException e) when (e.IsLimit)
        {
            throw RegoBuiltinException.LimitReached($"{e.Message} in GraphQL string at location {e.Line}:{e.Column}", e);
        }
        catch (GqlException e) when (e.Line == 0)
        {
            // Documents given as AST objects carry no positions.
            throw new RegoBuiltinException(e.Message);
        }
        catch (GqlException e)
        {
            throw new RegoBuiltinException($"{e.Message} in GraphQL string at location {e.Line}:{e.Column}");
        }
    }
}
