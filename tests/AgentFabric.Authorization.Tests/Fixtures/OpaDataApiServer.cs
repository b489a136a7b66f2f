using System.Text;
using System.Text.Json;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;
using Microsoft.AspNetCore.Http;

namespace AgentFabric.Authorization.Tests.Fixtures;

/// <summary>TEST FIXTURE ONLY, until the real policy server lands: a minimal server speaking OPA's REST Data API
/// (<c>POST /v1/data/{path}</c> with <c>{"input": ...}</c>) that answers by evaluating with an embedded PDP, so the
/// remote PDP can be checked against the embedded one. Errors use OPA's error body.</summary>
internal static class OpaDataApiServer
{
    public static Task<LoopbackServer> StartAsync(IPolicyDecisionPoint embedded) => LoopbackServer.StartAsync(async context =>
    {
        var path = context.Request.Path.Value ?? "";
        if (context.Request.Method != "POST" || !path.StartsWith("/v1/data/", StringComparison.Ordinal))
        {
            await Error(context, 404, "resource_not_found", "not found");
            return;
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        Value body;
        try
        {
            body = Value.ParseJson(await reader.ReadToEndAsync());
        }
        catch (JsonException e)
        {
            await Error(context, 400, "invalid_parameter", "body contains malformed input document: " + e.Message);
            return;
        }

        var input = (body as ObjectValue)?.Get("input") ?? NullValue.Instance;
        try
        {
            var decision = await embedded.DecideAsync(DecisionPath.Parse(path["/v1/data/".Length..]), input);
            var response = decision.Result is null
                ? ObjectValue.Create(("decision_id", decision.DecisionId))
                : ObjectValue.Create(("decision_id", decision.DecisionId), ("result", decision.Result));
            await Write(context, 200, response.ToJson());
        }
        catch (PolicyEvaluationException e)
        {
            await Write(context, 500, ObjectValue.Create(
                ("code", "internal_error"),
                ("message", "error(s) occurred while evaluating query"),
                ("errors", ArrayValue.Create(ObjectValue.Create(("code", e.Code), ("message", e.InnerException!.Message))))).ToJson());
        }
    });

    public static Task Error(HttpContext context, int status, string code, string message) =>
        Write(context, status, ObjectValue.Create(("code", code), ("message", message)).ToJson());

    public static async Task Write(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }
}
