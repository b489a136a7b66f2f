using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Cli.Policy;

/// <summary><c>agentfabric policy bench -d FILE... [-i input.json] [--count N] [--format json] QUERY</c>: like
/// <c>opa bench</c>, evaluates a query prepared once N times in-process (after a warm-up) and reports the mean,
/// median and 99th percentile time per evaluation and the bytes allocated per evaluation.</summary>
internal static class PolicyBenchCommand
{
    public static Command Create()
    {
        var data = PolicyCommand.DataOption();
        var input = PolicyCommand.InputOption();
        var v0 = PolicyCommand.V0Option();
        var count = new Option<int>("--count") { Description = "Number of measured evaluations.", DefaultValueFactory = _ => 10_000 };
        var format = new Option<string>("--format") { Description = "Output format: text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var query = new Argument<string>("query") { Description = "The Rego query, e.g. data.app.rbac.allow." };
        var command = new Command("bench", "Benchmark the evaluation of a prepared Rego query.") { data, input, v0, count, format, query };
        command.SetAction(PolicyCommand.Errors, (parse, console) =>
        {
            var n = parse.GetValue(count);
            if (n < 1)
            {
                throw new CliException($"--count must be at least 1, got {n}");
            }

            var (engine, policy) = PolicyCommand.Compile(parse.GetValue(data), parse.GetValue(v0));
            var prepared = engine.Prepare(policy, parse.GetValue(query)!);
            var inputPath = parse.GetValue(input);
            var inputValue = inputPath is null ? null : PolicyFiles.ReadInput(inputPath);
            var m = Measure(prepared, inputValue, n);
            console.Out.WriteLine(parse.GetValue(format) == "json" ? ToJson(m) : ToText(m));
            return 0;
        });
        return command;
    }

    internal readonly record struct BenchResult(int Ops, double NsPerOp, long P50Ns, long P99Ns, long BytesPerOp);

    internal static BenchResult Measure(PreparedQuery query, Value? input, int n)
    {
        // Warm-up: at least a second and n/10 evaluations, so the JIT's optimising tier (which profiles the code
        // first, then recompiles it in the background) and first-use caches settle; shorter, the median measured
        // code still being profiled.
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < n / 10 || warm.ElapsedMilliseconds < 1000; i++)
        {
            query.Evaluate(input);
        }

        var samples = new long[n];
        var bytesBefore = GC.GetAllocatedBytesForCurrentThread();
        var total = Stopwatch.GetTimestamp();
        for (var i = 0; i < n; i++)
        {
            var start = Stopwatch.GetTimestamp();
            query.Evaluate(input);
            samples[i] = Stopwatch.GetTimestamp() - start;
        }

        total = Stopwatch.GetTimestamp() - total;
        var bytes = GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
        Array.Sort(samples);
        var nsPerTick = 1e9 / Stopwatch.Frequency;
        long Ns(long ticks) => (long)Math.Round(ticks * nsPerTick);
        return new BenchResult(
            n,
            Math.Round(total * nsPerTick / n, 1),
            Ns(samples[(n - 1) / 2]),
            Ns(samples[Math.Min(n - 1, (int)Math.Ceiling(n * 0.99) - 1)]),
            bytes / n);
    }

    internal static string ToJson(BenchResult m)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("ops", m.Ops);
            w.WriteNumber("ns_per_op", m.NsPerOp);
            w.WriteNumber("p50_ns", m.P50Ns);
            w.WriteNumber("p99_ns", m.P99Ns);
            w.WriteNumber("bytes_per_op", m.BytesPerOp);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    internal static string ToText(BenchResult m)
    {
        var rows = new (string Name, string Value)[]
        {
            ("ops", m.Ops.ToString(CultureInfo.InvariantCulture)),
            ("ns/op", m.NsPerOp.ToString("0.0", CultureInfo.InvariantCulture)),
            ("p50 ns", m.P50Ns.ToString(CultureInfo.InvariantCulture)),
            ("p99 ns", m.P99Ns.ToString(CultureInfo.InvariantCulture)),
            ("B/op", m.BytesPerOp.ToString(CultureInfo.InvariantCulture)),
        };
        var width = rows.Max(r => r.Value.Length);
        return string.Join(Environment.NewLine, rows.Select(r => $"{r.Name,-8} {r.Value.PadLeft(width)}"));
    }
}
