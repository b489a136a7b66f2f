using System.Globalization;
using System.Text;
using AgentFabric.Rego.Values;

namespace AgentFabric.PolicyServer.Observability;

/// <summary>The server's counters and its decision latency histogram, written in Prometheus' text exposition format
/// (version 0.0.4). Lock-free: every counter is an <see cref="Interlocked"/> long.</summary>
internal sealed class PolicyServerMetrics
{
    // Seconds; fine-grained at the bottom because in-process decisions take microseconds.
    private static readonly double[] Buckets = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
    private static readonly string[] Results = ["true", "false", "undefined", "other", "error"];

    private readonly long[] _decisions = new long[Results.Length];
    private readonly long[] _bucketCounts = new long[Buckets.Length];
    private long _latencyCount;
    private long _latencySumTicks;
    private long _activations;
    private long _activationFailures;

    /// <summary>Reads the decision logger's drop counter when logging is on.</summary>
    public Func<long>? DroppedDecisionLogs { get; set; }

    public void RecordDecision(Value? result, TimeSpan elapsed) => Record(result switch
    {
        null => 2,
        BooleanValue { Value: true } => 0,
        BooleanValue => 1,
        _ => 3,
    }, elapsed);

    public void RecordError(TimeSpan elapsed) => Record(4, elapsed);

    public void RecordActivation(bool succeeded) => Interlocked.Increment(ref succeeded ? ref _activations : ref _activationFailures);

    private void Record(int result, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _decisions[result]);
        var seconds = elapsed.TotalSeconds;
        for (var i = 0; i < Buckets.Length; i++)
        {
            if (seconds <= Buckets[i])
            {
                Interlocked.Increment(ref _bucketCounts[i]);
                break;
            }
        }

        Interlocked.Increment(ref _latencyCount);
        Interlocked.Add(ref _latencySumTicks, elapsed.Ticks);
    }

    public string ToPrometheusText()
    {
        var s = new StringBuilder();
        s.Append("# HELP agentfabric_policy_decisions_total Decisions made through the Data API, by result.\n");
        s.Append("# TYPE agentfabric_policy_decisions_total counter\n");
        for (var i = 0; i < Results.Length; i++)
        {
            s.Append(CultureInfo.InvariantCulture, $"agentfabric_policy_decisions_total{{result=\"{Results[i]}\"}} {Interlocked.Read(ref _decisions[i])}\n");
        }

        s.Append("# HELP agentfabric_policy_decision_duration_seconds Time to evaluate a decision.\n");
        s.Append("# TYPE agentfabric_policy_decision_duration_seconds histogram\n");
        long cumulative = 0;
        for (var i = 0; i < Buckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref _bucketCounts[i]);
            s.Append(CultureInfo.InvariantCulture, $"agentfabric_policy_decision_duration_seconds_bucket{{le=\"{Buckets[i]}\"}} {cumulative}\n");
        }

        var count = Interlocked.Read(ref _latencyCount);
        s.Append(CultureInfo.InvariantCulture, $"agentfabric_policy_decision_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n");
        s.Append(CultureInfo.InvariantCulture, $"agentfabric_policy_decision_duration_seconds_sum {TimeSpan.FromTicks(Interlocked.Read(ref _latencySumTicks)).TotalSeconds}\n");
        s.Append(CultureInfo.InvariantCulture, $"agentfabric_policy_decision_duration_seconds_count {count}\n");
        s.Append("# HELP agentfabric_bundle_activations_total Bundle activation attempts, by outcome.\n");
        s.Append("# TYPE agentfabric_bundle_activations_total counter\n");
        s.Append(CultureInfo.InvariantCulture, $"agentfabric_bundle_activations_total{{result=\"success\"}} {Interlocked.Read(ref _activations)}\n");
        s.Append(CultureInfo.InvariantCulture, $"agentfabric_bundle_activations_total{{result=\"failure\"}} {Interlocked.Read(ref _activationFailures)}\n");
        s.Append("# HELP agentfabric_decision_logs_dropped_total Decision log events dropped because the buffer was full.\n");
        s.Append("# TYPE agentfabric_decision_logs_dropped_total counter\n");
        s.Append(CultureInfo.InvariantCulture, $"agentfabric_decision_logs_dropped_total {DroppedDecisionLogs?.Invoke() ?? 0}\n");
        return s.ToString();
    }
}
