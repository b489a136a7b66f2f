using System.CommandLine;
using System.Text.Json;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Cli.Policy;

/// <summary><c>agentfabric policy eval [-d DIR|FILE]... [-b BUNDLE]... [-i input.json] [--timeout D] [--max-steps N]
/// [--max-output N] QUERY</c>: prints the result as <c>opa eval</c>
/// does: one entry per solution with the value, text and location of each query expression, and the bindings of
/// the query's variables; <c>{}</c> when the query is undefined.</summary>
internal static class PolicyEvalCommand
{
    /// <summary>The clock of the time limit; tests of the command may replace it.</summary>
    internal static TimeProvider Clock { get; set; } = TimeProvider.System;

    public static Command Create()
    {
        var data = PolicyCommand.DataOption();
        var bundle = PolicyCommand.BundleOption();
        var input = PolicyCommand.InputOption();
        var v0 = PolicyCommand.V0Option();
        var strict = PolicyCommand.StrictOption();
        var timeout = PolicyLimits.TimeoutOption(TimeSpan.Zero, "Stop the evaluation after this long, as a Go duration (100ms, 5s, 1m30s); 0 for no limit (the default, as opa eval).");
        var maxSteps = PolicyLimits.MaxStepsOption();
        var maxOutput = PolicyLimits.MaxOutputOption();
        var query = new Argument<string>("query") { Description = "The Rego query, e.g. data.app.rbac.allow." };
        var command = new Command("eval", "Evaluate a Rego query and print the result as JSON.") { data, bundle, input, v0, strict, timeout, maxSteps, maxOutput, query };
        command.SetAction(PolicyCommand.Errors, (parse, console) =>
        {
            var (engine, policy) = PolicyCommand.Compile(parse.GetValue(data), parse.GetValue(v0), parse.GetValue(strict), parse.GetValue(bundle));
            var prepared = engine.PrepareExpressions(policy, parse.GetValue(query)!);
            var inputPath = parse.GetValue(input);
            var inputValue = inputPath is null ? null : PolicyFiles.ReadInput(inputPath);
            var result = PolicyLimits.From(parse, timeout, maxSteps, maxOutput).Evaluate(prepared, inputValue, Clock);
            console.Out.WriteLine(Format(prepared, result));
            return 0;
        });
        return command;
    }

    /// <summary>The <c>opa eval</c> JSON document (indented by two spaces, as OPA prints it).</summary>
    internal static string Format(PreparedQuery query, QueryResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = Value.MaxWriteDepth }))
        {
            w.WriteStartObject();
            if (result.Rows.Count > 0)
            {
                w.WriteStartArray("result");
                foreach (var row in result.Rows)
                {
                    WriteRow(w, query, row);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteRow(Utf8JsonWriter w, PreparedQuery query, QueryRow row)
    {
        w.WriteStartObject();
        w.WriteStartArray("expressions");
        for (var i = 0; i < query.Expressions.Count; i++)
        {
            var e = query.Expressions[i];
            w.WriteStartObject();
            w.WritePropertyName("value");
            row.ExpressionValues[i].WriteJson(w);
            w.WriteString("text", e.Text);
            w.WriteStartObject("location");
            w.WriteNumber("row", e.Location.Line);
            w.WriteNumber("col", e.Location.Column);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();

        // OPA leaves out variables whose names start with an underscore (wildcards and generated names).
        var bindings = row.Bindings.Where(b => !b.Key.StartsWith('_')).OrderBy(b => b.Key, StringComparer.Ordinal).ToList();
        if (bindings.Count > 0)
        {
            w.WriteStartObject("bindings");
            foreach (var (name, value) in bindings)
            {
                w.WritePropertyName(name);
                value.WriteJson(w);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }
}
