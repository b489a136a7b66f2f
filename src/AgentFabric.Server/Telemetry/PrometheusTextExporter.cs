using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace AgentFabric.Server.Telemetry;

/// <summary>
/// Listens to one meter and renders its counters, histograms and gauges in the Prometheus text exposition format
/// (version 0.0.4): <c># HELP</c>, <c># TYPE</c>, one sample per label set; histograms as cumulative
/// <c>_bucket{le=...}</c>, <c>_sum</c> and <c>_count</c>.
/// </summary>
public sealed class PrometheusTextExporter : IDisposable
{
    private static readonly double[] s_buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument, string), Series> _series = new();

    public PrometheusTextExporter(string meterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

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
                ObservableGauge<int> or ObservableGauge<long> or ObservableGauge<double> => "gauge",
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
            if (instrument is ObservableGauge<int> or ObservableGauge<long> or ObservableGauge<double>)
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
