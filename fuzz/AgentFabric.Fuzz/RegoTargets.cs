using System.Text;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Fuzz;

/// <summary>The Rego engine's parsers: policy source (parse and compile) and the decoding builtins (JSON and YAML),
/// whose results are then compared, hashed (a set) and printed. Compile may throw only RegoParseException or
/// RegoCompileException; an evaluation only RegoEvaluationException.</summary>
internal static class RegoTargets
{
    private static readonly RegoEngine Engine = new();

    private const string DecodingPolicy = """
        package fuzz

        j := json.unmarshal(input.s)
        y := yaml.unmarshal(input.s)
        valid := [json.is_valid(input.s), yaml.is_valid(input.s)]
        same := j == y
        both := {j, y}
        printed := [json.marshal(j), yaml.marshal(y)]
        """;

    private static readonly Lazy<PreparedQuery> Decoding = new(() =>
        Engine.Prepare(Engine.Compile([new RegoModuleSource("fuzz.rego", DecodingPolicy)]), "data.fuzz"));

    public static FuzzTarget Source { get; } = new(
        "rego-source",
        ["package p\n", "import rego.v1\n", "if ", "else ", "contains ", "some ", " in ", "every ", "not ", "with ", "default ", ":= ", "= ", "==", "{", "}", "[", "]", "(", ")", "|", ";", "\n", "\"", "`", "input.", "data.", "x", "f(x)", "count(", "# c\n", "1.5e3", "null", "true"],
        () => new[]
        {
            "package p\n\nallow if {\n\tinput.user == \"alice\"\n\tsome r in input.roles\n\tr == \"admin\"\n}\n",
            "package q\n\nimport rego.v1\n\ndefault deny := false\n\nf(x) := y if { y := x * 2 }\n\nnames contains n if { n := input.names[_] }\n\ns := {k: v | some k, v in input.m}\n",
            "package r\n\nx := [1, {\"a\": [2, 3]}, {4}]\n\nevery_ok if every v in x { v != null }\n\nr := data.q.f(3) with input as {}\n",
        }.Select(Encoding.UTF8.GetBytes),
        RunSource);

    public static FuzzTarget Decoders { get; } = new(
        "rego-decode",
        ["{", "}", "[", "]", ",", ":", "\"", "- ", "? ", "&a ", "*a", "!!str ", "!!map", "---\n", "...\n", "|\n", ">\n", "null", "1e400", "-0", "\\u0000", "\\ud800", "\n  ", "<<: ", "'"],
        () => new[] { "{\"a\": [1, 2.5, \"x\", null, true]}", "a: [1, 2]\nb:\n  - c: d\n", "[[[]]]", "- &x {k: v}\n- *x\n" }.Select(Encoding.UTF8.GetBytes),
        RunDecoders);

    private static string RunSource(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        try
        {
            _ = Engine.Compile([new RegoModuleSource("fuzz.rego", text)]);
            return "ok";
        }
        catch (RegoParseException e)
        {
            return e.Message;
        }
        catch (RegoCompileException e)
        {
            return e.Message;
        }
    }

    private static string RunDecoders(byte[] input)
    {
        var doc = new ObjectValue.Builder();
        doc.Set("s", StringValue.Create(Encoding.UTF8.GetString(input)));
        try
        {
            var result = Decoding.Value.Evaluate(doc.ToValue());
            return result.Value is ObjectValue o ? string.Join(",", o.Keys.ToArray().Select(k => k.ToString())) + "#" + (o.GetHashCode() & 0) : "undefined";
        }
        catch (RegoEvaluationException e)
        {
            return e.Message;
        }
    }
}
