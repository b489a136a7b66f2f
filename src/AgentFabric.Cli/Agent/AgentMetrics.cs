using System.Globalization;
using System.Text;
using AgentFabric.Agent;
using AgentFabric.Agent.Node;

namespace AgentFabric.Cli.Agent;

/// <summary>The agent's Prometheus metrics (text format 0.0.4), read from the running parts when scraped.</summary>
internal sealed class AgentMetrics
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Count, double Sum)> _latency = new(StringComparer.Ordinal);

    public void Observe(string call, TimeSpan elapsed)
    {
        lock (_gate)
        {
            var (count, sum) = _latency.GetValueOrDefault(call);
            _latency[call] = (count + 1, sum + elapsed.TotalSeconds);
        }
    }

    public string Render(CountingAttestor attestor, WorkloadEndpoint endpoint, ServerIdentityProvider provider)
    {
        var text = new StringBuilder();
        Metric(text, "agentfabric_agent_workload_attestations_total", "counter", "Workload attestations by result.",
            ("result=\"success\"", attestor.Succeeded), ("result=\"failure\"", attestor.Failed));
        Metric(text, "agentfabric_agent_svids_rotated_total", "counter", "SVIDs re-issued by rotation.", (null, endpoint.SvidsRotated));
        Metric(text, "agentfabric_agent_x509_svids_issued_total", "counter", "X.509-SVIDs issued (first issue and rotations).", (null, endpoint.Cache.X509Issued));
        Metric(text, "agentfabric_agent_workload_streams", "gauge", "Open Workload API streams.", (null, endpoint.Cache.OpenStreams));
        Metric(text, "agentfabric_agent_cached_x509_svids", "gauge", "Cached X.509-SVIDs.", (null, endpoint.Cache.X509Count));
        Metric(text, "agentfabric_agent_server_synced", "gauge", "1 while the entry stream is connected and synced.", (null, provider.Synced ? 1 : 0));
        text.Append("# HELP agentfabric_agent_server_call_seconds Latency of calls to the server (SyncEntries: applying a push).\n");
        text.Append("# TYPE agentfabric_agent_server_call_seconds summary\n");
        lock (_gate)
        {
            foreach (var (call, (count, sum)) in _latency.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"agentfabric_agent_server_call_seconds_sum{{call=\"{call}\"}} {sum:R}\n");
                text.Append(CultureInfo.InvariantCulture, $"agentfabric_agent_server_call_seconds_count{{call=\"{call}\"}} {count}\n");
            }
        }

        return text.ToString();
    }

    private static void Metric(StringBuilder text, string name, string type, string help, params (string? Labels, long Value)[] samples)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
        foreach (var (labels, value) in samples)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}{(labels is null ? "" : "{" + labels + "}")} {value}\n");
        }
    }
}
