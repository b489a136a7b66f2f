using System.Text.Json;
using AgentFabric.PolicyServer.State;

namespace AgentFabric.PolicyServer.Api;

/// <summary><c>GET /health</c> (OPA docs "Health API": <c>?bundles</c>, <c>?plugins</c>, <c>exclude-plugin</c>),
/// <c>/live</c> (the process answers) and <c>/ready</c> (every configured bundle activated once).</summary>
internal sealed class HealthApi(PolicyServerRuntime runtime)
{
    public Task HealthAsync(HttpContext context)
    {
        var request = context.Request;
        if (ApiRequest.Flag(request, "bundles") && !runtime.BundlesReady)
        {
            return Unhealthy(context, "not all configured bundles have been activated");
        }

        if (ApiRequest.Flag(request, "plugins"))
        {
            var excluded = request.Query["exclude-plugin"].Select(v => v ?? "").ToHashSet(StringComparer.Ordinal);
            if (PluginStates().Any(p => !excluded.Contains(p.Name) && p.State != "OK"))
            {
                return Unhealthy(context, "not all plugins in OK state");
            }
        }

        return ApiResponse.WriteEmptyObjectAsync(context);
    }

    public Task LiveAsync(HttpContext context) => ApiResponse.WriteEmptyObjectAsync(context);

    public Task ReadyAsync(HttpContext context) =>
        runtime.BundlesReady ? ApiResponse.WriteEmptyObjectAsync(context) : Unhealthy(context, "not all configured bundles have been activated", 503);

    /// <summary>OPA's plugin names and states: <c>bundle</c> is OK once every configured bundle is active;
    /// <c>decision_logs</c> OK while logging is configured.</summary>
    public IEnumerable<(string Name, string State)> PluginStates()
    {
        if (runtime.Options.HasBundles)
        {
            yield return ("bundle", runtime.BundlesReady ? "OK" : "NOT_READY");
        }

        if (runtime.DecisionLogger is not null)
        {
            yield return ("decision_logs", "OK");
        }
    }

    private static Task Unhealthy(HttpContext context, string error, int status = 500) =>
        ApiResponse.WriteAsync(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", error);
            w.WriteEndObject();
        });
}
