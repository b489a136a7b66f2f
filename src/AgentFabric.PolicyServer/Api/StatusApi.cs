using System.Text.Json;
using AgentFabric.PolicyServer.State;

namespace AgentFabric.PolicyServer.Api;

/// <summary><c>GET /v1/status</c>: <c>{"result": report}</c> in OPA's status-report shape (OPA docs "Status API":
/// <c>labels</c>, <c>bundles.{name}.{name, active_revision, last_successful_activation, code, message}</c>,
/// <c>plugins.{name}.state</c>, <c>decision_logs</c>).</summary>
internal sealed class StatusApi(PolicyServerRuntime runtime, HealthApi health)
{
    public Task GetAsync(HttpContext context) => ApiResponse.WriteAsync(context, 200, w =>
    {
        var revisions = runtime.Activator.Revisions;
        var status = runtime.Activator.Status;
        var last = runtime.LastSuccessfulActivation;
        w.WriteStartObject();
        w.WriteStartObject("result");
        w.WriteStartObject("labels");
        w.WriteString("id", runtime.InstanceId);
        w.WriteString("version", State.PolicyServerRuntime.Version);
        w.WriteEndObject();
        w.WriteStartObject("bundles");
        foreach (var name in runtime.ConfiguredBundles.Union(status.Keys).Order(StringComparer.Ordinal))
        {
            w.WriteStartObject(name);
            w.WriteString("name", name);
            if (revisions.TryGetValue(name, out var revision))
            {
                w.WriteString("active_revision", revision);
            }

            if (last.TryGetValue(name, out var at))
            {
                w.WriteString("last_successful_activation", Rfc3339(at));
            }

            if (status.TryGetValue(name, out var e))
            {
                w.WriteString("last_request", Rfc3339(e.Timestamp));
                if (e.Error is { } error)
                {
                    // OPA reports a failed activation as code bundle_error with the reason.
                    w.WriteString("code", "bundle_error");
                    w.WriteString("message", error.Message);
                }
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartObject("plugins");
        foreach (var (plugin, state) in health.PluginStates())
        {
            w.WriteStartObject(plugin);
            w.WriteString("state", state);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        if (runtime.DecisionLogger is { } logger)
        {
            w.WriteStartObject("decision_logs");
            w.WriteStartObject("metrics");
            w.WriteNumber("counter_decision_logs_dropped", logger.DroppedEvents);
            w.WriteNumber("counter_decision_logs_written", logger.WrittenEvents);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
