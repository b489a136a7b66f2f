using static AgentFabric.Rego.Tests.Builtins.CollectionBuiltinsHarness;

namespace AgentFabric.Rego.Tests.Builtins.Strings;

public class TemplatesBuiltinsTests
{
    private const string Data = "{\"name\": \"ann\", \"n\": 2023, \"zero\": 0, \"user\": {\"id\": 7, \"roles\": [\"admin\", \"dev\"]}, \"tags\": {\"b\": 2, \"a\": 1}, \"empty\": [], \"nothing\": null, \"ok\": true}";

    [Theory]
    [InlineData("{{.name}}", "ann")]
    [InlineData("{{.n}}", "2023")]
    [InlineData("{{.user.id}} {{.user.roles}}", "7 [admin dev]")]
    [InlineData("{{.tags}}", "map[a:1 b:2]")]
    [InlineData("{{.missing}} {{.missing.deeper}}", "<undefined> <undefined>")]
    [InlineData("{{.nothing}}", "<nil>")]
    [InlineData("{{range $i, $r := .user.roles}}{{if $i}},{{end}}{{$r}}{{end}}", "admin,dev")]
    [InlineData("{{range .user.roles}}[{{.}}]{{end}}", "[admin][dev]")]
    [InlineData("{{range $k, $v := .tags}}{{$k}}={{$v}};{{end}}", "a=1;b=2;")]
    [InlineData("{{range .empty}}x{{else}}none{{end}}", "none")]
    [InlineData("{{range 3}}{{.}}{{end}}", "012")]
    [InlineData("{{range .user.roles}}{{if eq . \"dev\"}}{{break}}{{end}}{{.}}{{end}}", "admin")]
    [InlineData("{{range .user.roles}}{{if eq . \"admin\"}}{{continue}}{{end}}{{.}}{{end}}", "dev")]
    [InlineData("{{if .zero}}a{{else if .ok}}b{{else}}c{{end}}", "b")]
    [InlineData("{{if not .ok}}a{{else}}b{{end}}", "b")]
    [InlineData("{{with .user}}{{.id}}{{end}}{{with .missing}}x{{else}}y{{end}}", "7y")]
    [InlineData("{{$x := .name}}{{$x}}{{$x = \"bob\"}} {{$x}}", "ann bob")]
    [InlineData("{{.name | printf \"<%s>\"}}", "<ann>")]
    [InlineData("{{printf \"%d-%q-%v-%t\" .user.id .name .tags .ok}}", "7-\"ann\"-map[a:1 b:2]-true")]
    [InlineData("{{len .user.roles}} {{len .name}} {{index .user.roles 1}} {{index .tags \"b\"}}", "2 3 dev 2")]
    [InlineData("{{and .ok .name}} {{or .zero .name}} {{and .zero .name}}", "ann ann 0")]
    [InlineData("{{lt 1 2}} {{ge .n 2024}} {{eq .name \"x\" \"ann\"}} {{ne .n 2023}}", "true false true false")]
    [InlineData("{{print \"a\" 1 2 \"b\"}}|{{println \"a\" 1}}", "a1 2b|a 1\n")]
    [InlineData("{{html \"<a href='x'>\"}} {{urlquery \"a b&c\"}} {{js \"it's\"}}", "&lt;a href=&#39;x&#39;&gt; a+b%26c it\\'s")]
    [InlineData("a  {{- .name -}}  b", "aannb")]
    [InlineData("a{{/* a comment */}}b{{- /* trimmed */ -}} c", "abc")]
    [InlineData("{{define \"t\"}}<{{.}}>{{end}}{{template \"t\" .name}}", "<ann>")]
    [InlineData("{{block \"b\" .n}}[{{.}}]{{end}}", "[2023]")]
    [InlineData("{{(index .user.roles 0) | len}} {{slice .name 1 3}}", "5 nn")]
    [InlineData("{{\"}}\"}}", "}}")]
    public void Renders(string template, string expected) =>
        AssertResult(RegoEngine.ParseTerm(System.Text.Json.JsonSerializer.Serialize(expected)).ToString(), "strings.render_template", System.Text.Json.JsonSerializer.Serialize(template), Data);

    [Theory]
    [InlineData("{{if .ok}}", "template: template:1: unexpected EOF")]
    [InlineData("{{.name", "template: template:1: unclosed action")]
    [InlineData("{{end}}", "template: template:1: unexpected {{end}}")]
    [InlineData("{{nosuch .name}}", "template: template:1: function \"nosuch\" not defined")]
    [InlineData("x\n{{range .name}}{{end}}", "template: template:2: executing \"template\": range can't iterate over ann")]
    [InlineData("{{.name.first}}", "template: template:1: executing \"template\": can't evaluate field first in type string")]
    [InlineData("{{.nothing.x}}", "template: template:1: executing \"template\": nil pointer evaluating interface {}.x")]
    [InlineData("{{index .user.roles 5}}", "template: template:1: executing \"template\": error calling index: index out of range: 5")]
    [InlineData("{{template \"nope\"}}", "template: template:1: executing \"template\": no such template \"nope\"")]
    [InlineData("{{define \"t\"}}{{template \"t\"}}{{end}}{{template \"t\"}}", "template: template:1: executing \"template\": exceeded maximum template depth (1000)")]
    [InlineData("{{range 100000000}}{{end}}", "template: template:1: executing \"template\": template exceeded 1000000 steps")]
    [InlineData("{{$y}}", "template: template:1: executing \"template\": undefined variable: $y")]
    [InlineData("{{.name 1}}", "template: template:1: executing \"template\": can't give argument to non-function .name")]
    public void Errors(string template, string message) =>
        AssertError(RegoErrorCodes.BuiltinError, message, "strings.render_template", System.Text.Json.JsonSerializer.Serialize(template), Data);

    [Fact]
    public void Output_IsBounded()
    {
        var template = "{{range 100000}}" + new string('x', 1000) + "{{end}}";
        AssertError(RegoErrorCodes.BuiltinError, "template: template:1: executing \"template\": template output exceeded 16777216 characters",
            "strings.render_template", System.Text.Json.JsonSerializer.Serialize(template), "{}");
    }

    [Fact]
    public void VariablesMustBeAnObject() =>
        AssertError(RegoErrorCodes.EvalTypeError, "operand 2 must be object but got array", "strings.render_template", "\"x\"", "[]");
}
