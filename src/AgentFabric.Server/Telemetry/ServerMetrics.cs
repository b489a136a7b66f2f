using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AgentFabric.Server.Telemetry;

/// <summary>
/// The server's instruments on the <c>AgentFabric.Server</c> meter (OpenTelemetry-style names); the
/// <see cref="Contracts.Telemetry.PrometheusTextExporter"/> renders them for <c>/metrics</c>.
/// </summary>
public sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "AgentFabric.Server";

    private readonly Meter _meter;
    private readonly Counter<long> _svids;
    private readonly Counter<long> _attestations;
    private readonly Counter<long> _bundleUpdates;
    private readonly Counter<long> _refused;
    private readonly Histogram<double> _latency;

    public ServerMetrics(Func<int> entryCount)
    {
        _meter = new Meter(MeterName);
        _svids = _meter.CreateCounter<long>("agentfabric_server_svids_issued", description: "SVIDs issued, by type (x509, jwt, node)");
        _attestations = _meter.CreateCounter<long>("agentfabric_server_node_attestations", description: "Node attestations, by result");
        _bundleUpdates = _meter.CreateCounter<long>("agentfabric_server_bundle_updates", description: "Trust bundle updates, by trust domain kind");
        _refused = _meter.CreateCounter<long>("agentfabric_server_requests_refused", description: "Agent API requests refused, by reason");
        _latency = _meter.CreateHistogram<double>("agentfabric_server_api_latency_seconds", unit: "s", description: "API call latency, by method");
        _meter.CreateObservableGauge("agentfabric_server_registration_entries", entryCount, description: "Registration entries");
    }

    public Meter Meter => _meter;

    public void SvidIssued(string type) => _svids.Add(1, new KeyValuePair<string, object?>("type", type));

    public void Attestation(string result) => _attestations.Add(1, new KeyValuePair<string, object?>("result", result));

    public void BundleUpdated(string kind) => _bundleUpdates.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ApiCall(string method, TimeSpan elapsed) =>
        _latency.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("method", method));

    public static long Start() => Stopwatch.GetTimestamp();

    public void Dispose() => _meter.Dispose();
}
