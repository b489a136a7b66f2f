using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Evaluation;

/// <summary>The evaluator's shortcuts (guard literals not evaluated twice, the filter after <c>some x in xs</c> tested
/// per element, the small member cache, shared object keys): each case pins the answer the plain evaluation gives.</summary>
public class FastPathTests
{
    private static readonly RegoEngine Engine = new();

    private static string Eval(string module, string input, string query = "data.t.p") =>
        Engine.Prepare(Engine.Compile([new RegoModuleSource("t.rego", module)]), query).Evaluate(Value.ParseJson(input)).ToJson();

    private const string Guarded = "package t\nimport rego.v1\np if {\n input.a == \"x\"\n input.b = \"y\"\n input.c > 1\n}";

    [Theory]
    [InlineData("""{"a": "x", "b": "y", "c": 2}""", """{"result":true}""")]
    [InlineData("""{"a": "x", "b": "y", "c": 1}""", "{}")]
    [InlineData("""{"a": "x", "b": "z", "c": 2}""", "{}")]
    [InlineData("""{"a": "w", "b": "y", "c": 2}""", "{}")]
    [InlineData("""{"b": "y", "c": 2}""", "{}")]
    public void GuardLiteralsStillDecide(string input, string expected) => Assert.Equal(expected, Eval(Guarded, input));

    [Theory]
    [InlineData("""{"n": 1}""", """{"result":true}""")]
    [InlineData("""{"n": 1.0}""", """{"result":true}""")]
    [InlineData("""{"n": "1"}""", "{}")]
    public void GuardsCompareNumbersByValue(string input, string expected) =>
        Assert.Equal(expected, Eval("package t\nimport rego.v1\np if input.n == 1", input));

    [Theory]
    [InlineData("""{"a": "x", "b": "y"}""", """{"result":1}""")]
    [InlineData("""{"a": "z", "b": "y"}""", """{"result":2}""")]
    [InlineData("""{"a": "z", "b": "q"}""", "{}")]
    public void ElseBranchesEvaluateTheirOwnLiterals(string input, string expected) =>
        Assert.Equal(expected, Eval("package t\nimport rego.v1\np := 1 if input.a == \"x\" else := 2 if input.b == \"y\"", input));

    [Fact]
    public void GuardLiteralsHoldUnderWithInput() =>
        Assert.Equal(
            """{"result":true}""",
            Eval(Guarded + "\nq if p with input as {\"a\": \"x\", \"b\": \"y\", \"c\": 5}", "{}", "data.t.q"));

    [Theory]
    [InlineData("GET", "/r/3", "r3", """{"result":true}""")]
    [InlineData("POST", "/r/3", "r3", """{"result":false}""")]
    [InlineData("GET", "/r/3", "r4", """{"result":false}""")]
    [InlineData("GET", "/r/99", "r3", """{"result":false}""")]
    public void IndexedRulesWithGuards(string method, string path, string role, string expected)
    {
        var module = "package t\nimport rego.v1\ndefault p := false\n" + string.Concat(Enumerable.Range(0, 12).Select(i =>
            $"p if {{\n input.method == \"GET\"\n input.path == \"/r/{i}\"\n input.role == \"r{i}\"\n}}\n"));
        Assert.Equal(expected, Eval(module, $$"""{"method": "{{method}}", "path": "{{path}}", "role": "{{role}}"}"""));
    }

    [Theory]
    [InlineData("p contains x if { some x in input.xs; x > 1; x < 4 }", """{"result":[2,3]}""")]
    [InlineData("p contains x if { some x in input.xs; not x == 2 }", """{"result":[1,3,4]}""")]
    [InlineData("p contains x if { some x in input.xs; x > 3 }", """{"result":[4]}""")]
    [InlineData("p contains x if { some x in input.xs; x == input.ys[_] }", """{"result":[2,4]}""")]
    [InlineData("p contains i if { some i, x in input.xs; x > 2 }", """{"result":[2,3]}""")]
    [InlineData("p contains k if { some k, v in input.o; v == 1 }", """{"result":["a","c"]}""")]
    [InlineData("p contains x if { some x in {1, 2, 3}; x != 2 }", """{"result":[1,3]}""")]
    [InlineData("p := [x | some x in input.xs; x > 2]", """{"result":[3,4]}""")]
    [InlineData("p if { some x in input.xs; x > 10 }", "{}")]
    public void FilterAfterSomeIn(string rule, string expected) =>
        Assert.Equal(expected, Eval("package t\nimport rego.v1\n" + rule, """{"xs": [1, 2, 3, 4], "ys": [2, 4, 6], "o": {"a": 1, "b": 2, "c": 1}}"""));

    [Fact]
    public void FilterErrorsPropagate()
    {
        var e = Assert.Throws<RegoEvaluationException>(() =>
            Eval("package t\nimport rego.v1\np := {k: v | some x in input.xs; x > 0; k := \"a\"; v := x}", """{"xs": [1, 2]}"""));
        Assert.Equal("t.rego:3: eval_conflict_error: object keys must be unique", e.Message);
    }

    [Fact]
    public void ManyMemberQuestionsInOneEvaluation()
    {
        // More distinct (set, member) questions than the member cache keeps inline, with repeats.
        const string module = "package t\nimport rego.v1\nvalid contains id if { some id; data.t.ok[id] == true }\n" +
            "ok := {\"a\": true, \"b\": false, \"c\": true, \"d\": true, \"e\": false, \"f\": true, \"g\": true, \"h\": true, \"i\": false, \"j\": true}\n" +
            "p := [id | some id in input.ids; valid[id]]\n" +
            "q := count([id | some id in input.ids; not valid[id]])";
        const string input = """{"ids": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "a", "b", "k"]}""";
        Assert.Equal("""{"result":["a","c","d","f","g","h","j","a"]}""", Eval(module, input));
        Assert.Equal("""{"result":6}""", Eval(module, input, "data.t.q"));
    }

    [Fact]
    public void DataReferencesSeeWithDataOverrides() =>
        Assert.Equal(
            """{"result":[5,1]}""",
            Eval("package t\nimport rego.v1\nr := 1\nq := x if { x := data.t.r with data.t.r as 5 }\np := [q, data.t.r]", "{}"));

    [Fact]
    public void ShortObjectKeysAreShared()
    {
        Assert.Same(StringValue.Key("subject"), StringValue.Key("subject"));
        var a = (ObjectValue)Value.ParseJson("""{"subject": 1}""");
        var b = (ObjectValue)Value.ParseJson("""{"subject": 2}""");
        Assert.Same(a.Keys[0], b.Keys[0]);
        Assert.Same(StringValue.Empty, StringValue.Key(""));
    }

    [Fact]
    public void LongObjectKeysAreNotShared()
    {
        var key = new string('k', 65);
        Assert.NotSame(StringValue.Key(key), StringValue.Key(key));
        Assert.Equal(StringValue.Key(key), StringValue.Key(key));
    }

    [Fact]
    public void LookupsFindKeysThatAreNotShared()
    {
        var key = new string('k', 70);
        var obj = (ObjectValue)Value.ParseJson($$"""{"{{key}}": 1, "a": 2}""");
        Assert.Equal(NumberValue.Create(1), obj.Get(StringValue.Create(key)));
        Assert.Equal(NumberValue.Create(2), obj.Get(StringValue.Create("a")));
        Assert.Null(obj.Get(StringValue.Create("b")));
        Assert.Equal(
            """{"result":1}""",
            Eval("package t\nimport rego.v1\np := input[\"" + key + "\"]", $$"""{"{{key}}": 1}"""));
    }
}
