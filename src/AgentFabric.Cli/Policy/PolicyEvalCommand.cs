using System.CommandLine;
using System.Text.Json;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Cli.Policy;

/// <summary><c>agentfabric policy eval [-d DIR|FILE]... [-b BUNDLE]... [-i input.json] QUERY</c>: prints the result as <c>opa eval</c>
/// does: one entry per solution with the value, text and location of each query expression, and the bindings of
/// the query's variables; <c>{}</c> when the query is undefined.</summary>
internal static class PolicyEvalCommand
{
    public static Command Create()
    {
        var data = PolicyCommand.DataOption();
        var bundle = PolicyCommand.BundleOption();
        var input = PolicyCommand.InputOption();
        var v0 = PolicyCommand.V0Option();
        var strict = PolicyCommand.StrictOption();
        var query = new Argument<string>("query") { Description = "The Rego query, e.g. data.app.rbac.allow." };
        var command = new Command("eval", "Evaluate a Rego query and print the result as JSON.") { data, bundle, input, v0, strict, query };
        command.SetAction(PolicyCommand.Errors, (parse, console) =>
        {
            var (engine, policy) = PolicyCommand.Compile(parse.GetValue(data), parse.GetValue(v0), parse.GetValue(strict), parse.GetValue(bundle));
            var prepared = engine.PrepareExpressions(policy, parse.GetValue(query)!);
            var inputPath = parse.GetValue(input);
            var inputValue = inputPath is null ? null : PolicyFiles.ReadInput(inputPath);
            var result = prepared.Evaluate(inputValue);
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
