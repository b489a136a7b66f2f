using AgentFabric.Authorization.DecisionLogs;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.Tests.DecisionLogs;

public sealed class DecisionLoggerTests
{
    private static DecisionLogEvent Event(int i) => new()
    {
        DecisionId = $"d-{i}",
        Path = "authz/allow",
        Input = ObjectValue.Create(("i", i)),
        Result = BooleanValue.True,
        Timestamp = new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero),
        Metrics = new Dictionary<string, long> { ["timer_rego_query_eval_ns"] = 1500 },
        Bundles = new Dictionary<string, string> { ["authz"] = "r1" },
        Labels = new Dictionary<string, string> { ["id"] = "pdp-1" },
    };

    /// <summary>A sink that records batches, optionally failing or blocking.</summary>
    private sealed class RecordingSink : IDecisionLogSink
    {
        public List<string> Lines { get; } = [];

        public Func<Task>? Before { get; init; }

        public async Task WriteAsync(IReadOnlyList<string> events, CancellationToken cancellationToken)
        {
            if (Before is not null)
            {
                await Before();
            }

            lock (Lines)
            {
                Lines.AddRange(events);
            }
        }
    }

    [Fact]
    public void Event_has_opa_decision_log_shape() =>
        Assert.Equal(
            """{"bundles":{"authz":{"revision":"r1"}},"decision_id":"d-1","input":{"i":1},"labels":{"id":"pdp-1"},"metrics":{"timer_rego_query_eval_ns":1500},"path":"authz/allow","result":true,"timestamp":"2026-12-05T08:00:00Z"}""",
            Event(1).ToJson());

    [Fact]
    public async Task File_sink_writes_json_lines()
    {
        var path = Path.Combine(Path.GetTempPath(), $"decisions-{Guid.NewGuid():N}.jsonl");
        try
        {
            var logger = new DecisionLogger([new FileDecisionLogSink(path)]);
            Assert.True(logger.Log(Event(1)));
            Assert.True(logger.Log(Event(2)));

            await logger.DisposeAsync();

            Assert.Equal([Event(1).ToJson(), Event(2).ToJson()], File.ReadAllLines(path));
            Assert.Equal(2, logger.WrittenEvents);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Failing_sink_loses_its_batch_but_not_the_others()
    {
        var good = new RecordingSink();
        var failing = new RecordingSink { Before = () => throw new IOException("disk full") };
        var logger = new DecisionLogger([failing, good]);

        logger.Log(Event(1));
        logger.Log(Event(2));
        await logger.FlushAndStopAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(2, good.Lines.Count);
        Assert.Empty(failing.Lines);
        Assert.Equal(2, logger.LostEvents);
        Assert.Equal(0, logger.WrittenEvents);
        Assert.Equal(0, logger.DroppedEvents);
    }

    [Fact]
    public async Task Full_buffer_drops_and_counts_without_blocking()
    {
        var release = new TaskCompletionSource();
        var entered = new TaskCompletionSource();
        var sink = new RecordingSink { Before = () => { entered.TrySetResult(); return release.Task; } };
        var logger = new DecisionLogger([sink], options: new DecisionLoggerOptions { BufferSize = 3, MaxBatchSize = 1 });

        Assert.True(logger.Log(Event(0)));
        await entered.Task; // the loop holds event 0 in the blocked sink; the buffer is empty again
        var accepted = Enumerable.Range(1, 10).Select(i => logger.Log(Event(i))).ToList();

        Assert.Equal([true, true, true, false, false, false, false, false, false, false], accepted);
        Assert.Equal(7, logger.DroppedEvents);
        release.SetResult();
        await logger.FlushAndStopAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["d-0", "d-1", "d-2", "d-3"], sink.Lines.Select(l => Value.ParseJson(l) is ObjectValue o ? ((StringValue)o.Get("decision_id")!).Value : ""));
        Assert.Equal(4, logger.WrittenEvents);
    }

    [Fact]
    public async Task Stopped_logger_refuses_and_counts()
    {
        var logger = new DecisionLogger([new RecordingSink()]);
        await logger.FlushAndStopAsync(TimeSpan.FromSeconds(5));

        Assert.False(logger.Log(Event(1)));
        Assert.Equal(1, logger.DroppedEvents);
    }

    [Fact]
    public async Task Logging_pdp_logs_each_decision_with_revisions()
    {
        var sink = new RecordingSink();
        var logger = new DecisionLogger([sink], options: new DecisionLoggerOptions { Labels = new Dictionary<string, string> { ["id"] = "pdp-1" } });
        var activator = Fixtures.TestPolicies.Activator();
        var pdp = new DecisionLoggingPolicyDecisionPoint(
            new EmbeddedPolicyDecisionPoint(activator.Store, newDecisionId: () => "d-9"), logger, activator, new Fixtures.FixedClock(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero)));

        var decision = await pdp.DecideAsync(DecisionPath.Parse("values/doubled"), Value.ParseJson("""{"n":4}"""));
        await logger.FlushAndStopAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("8", decision.Result!.ToJson());
        var logged = (ObjectValue)Value.ParseJson(Assert.Single(sink.Lines));
        Assert.Equal("d-9", ((StringValue)logged.Get("decision_id")!).Value);
        Assert.Equal("values/doubled", ((StringValue)logged.Get("path")!).Value);
        Assert.Equal("""{"n":4}""", logged.Get("input")!.ToJson());
        Assert.Equal("8", logged.Get("result")!.ToJson());
        Assert.Equal("""{"agentfabric":{"revision":"agentfabric-lib-1"},"values":{"revision":"v7"}}""", logged.Get("bundles")!.ToJson());
        Assert.Equal("""{"id":"pdp-1"}""", logged.Get("labels")!.ToJson());
        Assert.Equal("2026-12-05T08:00:00Z", ((StringValue)logged.Get("timestamp")!).Value);
        Assert.True(((ObjectValue)logged.Get("metrics")!).Get("timer_rego_query_eval_ns") is NumberValue);
    }
}
