using System.Diagnostics.Metrics;
using AgentFabric.Agent.Hosting;
using AgentFabric.Agent.Node;

namespace AgentFabric.Agent.Telemetry;

/// <summary>
/// The agent's instruments on an <c>AgentFabric.Agent</c> meter (OpenTelemetry-style, as the server's): counts and
/// levels read from the running parts when observed, and the latency of calls to the server as they complete. The
/// shared <see cref="Contracts.Telemetry.PrometheusTextExporter"/> renders them for <c>/metrics</c>.
/// </summary>
internal sealed class AgentMetrics : IDisposable
{
    public const string MeterName = "AgentFabric.Agent";

    private static readonly KeyValuePair<string, object?> s_success = new("result", "success");
    private static readonly KeyValuePair<string, object?> s_failure = new("result", "failure");
    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _serverCalls;

    public AgentMetrics() =>
        _serverCalls = _meter.CreateHistogram<double>("agentfabric_agent_server_call_seconds", unit: "s", description: "Latency of calls to the server (SyncEntries: applying a push).");

    public Meter Meter => _meter;

    /// <summary>Adds the instruments read from the running parts, once they have started.</summary>
    public void Observe(CountingAttestor attestor, WorkloadEndpoint endpoint, ServerIdentityProvider provider)
    {
        _meter.CreateObservableCounter("agentfabric_agent_workload_attestations",
            () => new[] { new Measurement<long>(attestor.Succeeded, s_success), new Measurement<long>(attestor.Failed, s_failure) },
            description: "Workload attestations by result.");
        _meter.CreateObservableCounter("agentfabric_agent_svids_rotated", () => endpoint.SvidsRotated, description: "SVIDs re-issued by rotation.");
        _meter.CreateObservableCounter("agentfabric_agent_x509_svids_issued", () => endpoint.Cache.X509Issued, description: "X.509-SVIDs issued (first issue and rotations).");
        _meter.CreateObservableGauge("agentfabric_agent_workload_streams", () => endpoint.Cache.OpenStreams, description: "Open Workload API streams.");
        _meter.CreateObservableGauge("agentfabric_agent_cached_x509_svids", () => endpoint.Cache.X509Count, description: "Cached X.509-SVIDs.");
        _meter.CreateObservableGauge("agentfabric_agent_server_synced", () => provider.Synced ? 1 : 0, description: "1 while the entry stream is connected and synced.");
    }

    /// <summary>Records one completed call to the server (<see cref="ServerIdentityProvider.ServerCallCompleted"/>).</summary>
    public void ServerCall(string call, TimeSpan elapsed) =>
        _serverCalls.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("call", call));

    public void Dispose() => _meter.Dispose();
}
