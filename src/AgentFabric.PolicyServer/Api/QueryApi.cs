using AgentFabric.PolicyServer.State;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.PolicyServer.Api;

/// <summary>OPA's Query API: <c>GET /v1/query?q=</c> and <c>POST /v1/query</c> <c>{"query", "input"}</c>, answered
/// <c>{"result": [{var: value, ...}, ...]}</c> (one object per solution; wildcards and generated variables omitted;
/// no <c>result</c> when there is no solution).</summary>
internal sealed class QueryApi(PolicyServerRuntime runtime)
{
    public Task GetAsync(HttpContext context) => ApiResponse.GuardAsync(context, () =>
    {
        var q = context.Request.Query["q"].FirstOrDefault();
        Value? input = null;
        if (context.Request.Query["input"].FirstOrDefault() is { } text)
        {
            input = ApiRequest.ParseJson(System.Text.Encoding.UTF8.GetBytes(text), "input parameter contains malformed JSON");
        }

        return AnswerAsync(context, q, input);
    });

    public Task PostAsync(HttpContext context) => ApiResponse.GuardAsync(context, async () =>
    {
        var body = await ApiRequest.ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (ApiRequest.ParseJson(body, "body contains malformed JSON") is not ObjectValue request)
        {
            throw new OpaErrorException(OpaError.BadRequest("body must be an object with \"query\" and optional \"input\""));
        }

        await AnswerAsync(context, (request.Get("query") as StringValue)?.Value, request.Get("input")).ConfigureAwait(false);
    });

    private async Task AnswerAsync(HttpContext context, string? query, Value? input)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new OpaErrorException(OpaError.BadRequest("missing query: the q parameter (GET) or the \"query\" field (POST)"));
        }

        PreparedQuery prepared;
        try
        {
            // Not cached: ad-hoc queries are unbounded in number.
            prepared = runtime.Engine.Prepare(runtime.Activator.Store.Current, query);
        }
        catch (RegoException e)
        {
            throw new OpaErrorException(OpaError.FromRego(e, 400, e is RegoParseException ? OpaError.ParseQueryMessage : OpaError.CompileQueryMessage));
        }

        QueryResult result;
        try
        {
            result = prepared.Evaluate(input, context.RequestAborted);
        }
        catch (RegoException e)
        {
            throw new OpaErrorException(OpaError.FromRego(e, 500, OpaError.EvaluationMessage));
        }

        var names = prepared.VariableNames.Where(n => !n.StartsWith('_') && !n.StartsWith('$')).Order(StringComparer.Ordinal).ToArray();
        await ApiResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            if (result.Rows.Count > 0)
            {
                w.WriteStartArray("result");
                foreach (var row in result.Rows)
                {
                    w.WriteStartObject();
                    foreach (var name in names)
                    {
                        if (row[name] is { } v)
                        {
                            w.WritePropertyName(name);
                            v.WriteJson(w);
                        }
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
