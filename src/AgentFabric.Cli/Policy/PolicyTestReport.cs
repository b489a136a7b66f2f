using System.Text.Json;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Cli.Policy;

/// <summary>Prints test results as <c>opa test</c> does.</summary>
/// <remarks>Pretty: the tests that did not pass (every test with <c>-v</c>), grouped under their file, as
/// <c>data.pkg.test_x: FAIL (1.2ms)</c> (its <c>print</c> output and an error's text indented below it), then a rule and the counts
/// (<c>PASS: 3/4</c>, <c>FAIL</c>, <c>SKIPPED</c>, <c>ERROR</c>; only the ones that are not zero). JSON: the array OPA's
/// JSON reporter writes, one object per test with <c>location</c>, <c>package</c>, <c>name</c>, <c>fail</c>,
/// <c>error</c>, <c>skip</c> (when set), <c>duration</c> in nanoseconds and <c>output</c> (base64).</remarks>
internal static class PolicyTestReport
{
    public static void WritePretty(TextWriter output, IReadOnlyList<TestResult> results, bool verbose)
    {
        var dirty = false;
        string? lastFile = null;
        foreach (var r in results)
        {
            if (!verbose && r.Outcome == TestOutcome.Pass)
            {
                continue;
            }

            if (r.Test.Location.File != lastFile)
            {
                if (dirty)
                {
                    output.WriteLine();
                }

                output.WriteLine($"{r.Test.Location.File}:");
                lastFile = r.Test.Location.File;
            }

            output.WriteLine(r.Outcome == TestOutcome.Skip
                ? $"{r.Test.FullName}: SKIPPED"
                : $"{r.Test.FullName}: {Label(r.Outcome)} ({GoDurationText.Format(r.DurationNs)})");
            if (r.Output.Trim() is { Length: > 0 } printed)
            {
                output.WriteLine();
                foreach (var line in printed.Split('\n'))
                {
                    output.WriteLine($"  {line}");
                }

                output.WriteLine();
            }

            if (r.Error is not null)
            {
                foreach (var line in PolicyCommand.Describe(r.Error).Split('\n'))
                {
                    output.WriteLine($"  {line}");
                }
            }

            dirty = true;
        }

        if (dirty)
        {
            output.WriteLine(PolicyTestCommand.Rule);
        }

        var total = results.Count;
        foreach (var outcome in (TestOutcome[])[TestOutcome.Pass, TestOutcome.Fail, TestOutcome.Skip, TestOutcome.Error])
        {
            var count = results.Count(r => r.Outcome == outcome);
            if (count > 0)
            {
                output.WriteLine($"{Label(outcome)}: {count}/{total}");
            }
        }
    }

    public static void WriteJson(TextWriter output, IReadOnlyList<TestResult> results)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = Value.MaxWriteDepth }))
        {
            w.WriteStartArray();
            foreach (var r in results)
            {
                w.WriteStartObject();
                WriteLocation(w, r.Test.Location.File, r.Test.Location.Line, r.Test.Location.Column);
                w.WriteString("package", r.Test.Package);
                w.WriteString("name", r.Test.Name);
                if (r.Outcome == TestOutcome.Fail)
                {
                    w.WriteBoolean("fail", true);
                }

                if (r.Error is { } e)
                {
                    w.WriteStartObject("error");
                    w.WriteString("code", e.Code);
                    w.WriteString("message", e.Reason);
                    if (e.Location is { } l)
                    {
                        WriteLocation(w, l.File, l.Line, l.Column);
                    }

                    w.WriteEndObject();
                }

                if (r.Outcome == TestOutcome.Skip)
                {
                    w.WriteBoolean("skip", true);
                }

                w.WriteNumber("duration", r.DurationNs);
                if (r.Output.Length > 0)
                {
                    // Go's encoding/json writes a []byte as base64.
                    w.WriteBase64String("output", System.Text.Encoding.UTF8.GetBytes(r.Output));
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteLocation(Utf8JsonWriter w, string file, int row, int col)
    {
        w.WriteStartObject("location");
        w.WriteString("file", file);
        w.WriteNumber("row", row);
        w.WriteNumber("col", col);
        w.WriteEndObject();
    }

    private static string Label(TestOutcome outcome) => outcome switch
    {
        TestOutcome.Pass => "PASS",
        TestOutcome.Fail => "FAIL",
        TestOutcome.Skip => "SKIPPED",
        _ => "ERROR",
    };
}
