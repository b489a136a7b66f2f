using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace AgentFabric.Contracts.Telemetry;

/// <summary>
/// Listens to one meter and renders its counters, histograms and gauges in the Prometheus text exposition format
/// (version 0.0.4): <c># HELP</c>, <c># TYPE</c>, one sample per label set; counters named with <c>_total</c>;
/// histograms as cumulative <c>_bucket{le=...}</c>, <c>_sum</c> and <c>_count</c>. Observable instruments report
/// their current value (an observable counter its running total) at each render. The /metrics writer of both hosts
/// (server and agent), whose instruments stay plain <see cref="System.Diagnostics.Metrics"/> ones that any
/// OpenTelemetry listener can read too. (prometheus-net's meter adapter was measured against it: it prefixes every name
/// with the meter's, exposes counters as gauges without <c>_total</c>, and adds a metric of its own.)
/// </summary>
public sealed class PrometheusTextExporter : IDisposable
{
    private static readonly double[] s_buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument, string), Series> _series = new();

    /// <summary>The media type of <see cref="Render"/>'s text.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Renders the instruments of <paramref name="meter"/> (this instance, not others of the same name: two
    /// hosts in one process keep their metrics apart).</summary>
    public PrometheusTextExporter(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == meter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>The text exposition of every series measured so far, observable instruments read now.</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var group in _series.GroupBy(s => s.Key.Item1).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
        {
            var instrument = group.Key;
            var type = instrument switch
            {
                Histogram<double> => "histogram",
                ObservableGauge<int> or ObservableGauge<long> or ObservableGauge<double> or
                    ObservableUpDownCounter<int> or ObservableUpDownCounter<long> or ObservableUpDownCounter<double> => "gauge",
                _ => "counter",
            };
            var name = type == "counter" ? instrument.Name + "_total" : instrument.Name;
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {instrument.Description}\n# TYPE {name} {type}\n");
            foreach (var (key, series) in group.OrderBy(s => s.Key.Item2, StringComparer.Ordinal))
            {
                var labels = key.Item2;
                lock (series)
                {
                    if (type != "histogram")
                    {
                        text.Append(CultureInfo.InvariantCulture, $"{name}{Braces(labels)} {series.Sum}\n");
                        continue;
                    }

                    long cumulative = 0;
                    for (var b = 0; b < s_buckets.Length; b++)
                    {
                        cumulative += series.Buckets[b];
                        text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{Braces(Join(labels, $"le=\"{s_buckets[b]}\""))} {cumulative}\n");
                    }

                    text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{Braces(Join(labels, "le=\"+Inf\""))} {series.Count}\n");
                    text.Append(CultureInfo.InvariantCulture, $"{name}_sum{Braces(labels)} {series.Sum}\n");
                    text.Append(CultureInfo.InvariantCulture, $"{name}_count{Braces(labels)} {series.Count}\n");
                }
            }
        }

        return text.ToString();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new StringBuilder();
        foreach (var tag in tags)
        {
            if (labels.Length > 0)
            {
                labels.Append(',');
            }

            var v = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty;
            labels.Append(tag.Key).Append("=\"").Append(v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('"');
        }

        var series = _series.GetOrAdd((instrument, labels.ToString()), _ => new Series());
        lock (series)
        {
            // An observable instrument reports its current value (a gauge's level, an observable counter's total).
            if (instrument.IsObservable)
            {
                series.Sum = value;
                return;
            }

            series.Sum += value;
            series.Count++;
            if (instrument is Histogram<double>)
            {
                var b = Array.FindIndex(s_buckets, x => value <= x);
                if (b >= 0)
                {
                    series.Buckets[b]++;
                }
            }
        }
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : a + "," + b;

    private static string Braces(string labels) => labels.Length == 0 ? string.Empty : "{" + labels + "}";

    public void Dispose() => _listener.Dispose();

    private sealed class Series
    {
        public double Sum;
        public long Count;
        public readonly long[] Buckets = new long[s_buckets.Length];
    }
}
