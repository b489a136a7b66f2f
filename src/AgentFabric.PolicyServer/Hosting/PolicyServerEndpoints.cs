using AgentFabric.PolicyServer.Api;
using AgentFabric.PolicyServer.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace AgentFabric.PolicyServer.Hosting;

/// <summary>OPA's route table (v1/server/server.go) mapped onto the API handlers.</summary>
internal static class PolicyServerEndpoints
{
    public static void MapOpaApi(this IEndpointRouteBuilder app, PolicyServerRuntime runtime)
    {
        var data = new DataApi(runtime);
        var writes = new DataWriteApi(runtime);
        var policies = new PolicyApi(runtime);
        var query = new QueryApi(runtime);
        var health = new HealthApi(runtime);
        var status = new StatusApi(runtime, health);

        app.MapGet("/v1/data", (HttpContext c) => data.GetAsync(c, null));
        app.MapGet("/v1/data/{**path}", (HttpContext c, string? path) => data.GetAsync(c, path));
        app.MapPost("/v1/data", (HttpContext c) => data.PostAsync(c, null));
        app.MapPost("/v1/data/{**path}", (HttpContext c, string? path) => data.PostAsync(c, path));
        app.MapPut("/v1/data", (HttpContext c) => writes.PutAsync(c, null));
        app.MapPut("/v1/data/{**path}", (HttpContext c, string? path) => writes.PutAsync(c, path));
        app.MapPatch("/v1/data", (HttpContext c) => writes.PatchAsync(c, null));
        app.MapPatch("/v1/data/{**path}", (HttpContext c, string? path) => writes.PatchAsync(c, path));
        app.MapDelete("/v1/data/{**path}", (HttpContext c, string? path) => writes.DeleteAsync(c, path));
        app.MapPost("/", data.PostDefaultAsync);

        app.MapGet("/v1/policies", policies.ListAsync);
        app.MapGet("/v1/policies/{**id}", (HttpContext c, string id) => policies.GetAsync(c, id));
        app.MapPut("/v1/policies/{**id}", (HttpContext c, string id) => policies.PutAsync(c, id));
        app.MapDelete("/v1/policies/{**id}", (HttpContext c, string id) => policies.DeleteAsync(c, id));

        app.MapGet("/v1/query", query.GetAsync);
        app.MapPost("/v1/query", query.PostAsync);

        app.MapGet("/health", health.HealthAsync);
        app.MapGet("/live", health.LiveAsync);
        app.MapGet("/ready", health.ReadyAsync);
        app.MapGet("/v1/status", status.GetAsync);
        app.MapGet("/metrics", (HttpContext c) =>
        {
            c.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            return c.Response.WriteAsync(runtime.Metrics.ToPrometheusText(), c.RequestAborted);
        });
    }
}
