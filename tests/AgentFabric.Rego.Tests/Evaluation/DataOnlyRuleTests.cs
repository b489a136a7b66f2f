using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Evaluation;

/// <summary>Rules on base data alone are computed once per compiled policy and reused by later evaluations: which
/// rules qualify, and that reuse never changes an answer, an error or a limit.</summary>
public class DataOnlyRuleTests
{
    private static readonly RegoEngine Engine = new();

    private const string Data = """{"attestations": {"a1": {"verified": true}, "a2": {"verified": false}, "a3": {"verified": true}}}""";

    private static CompiledPolicy Compile(string rules, string data = Data, RegoEngine? engine = null) =>
        (engine ?? Engine).Compile([new RegoModuleSource("t.rego", "package t\nimport rego.v1\n" + rules)], Value.ParseJson(data));

    private static bool IsDataOnly(CompiledPolicy policy, string rule) => policy.Root.Children["t"].Children[rule].DataOnlyIndex >= 0;

    private static string Eval(CompiledPolicy policy, string query, string input = "{}", EvaluationSettings? settings = null) =>
        Engine.Prepare(policy, query).Evaluate(Value.ParseJson(input), settings: settings).ToJson();

    [Theory]
    [InlineData("r contains id if { some id; data.attestations[id].verified }", true)]
    [InlineData("r := count(data.attestations)", true)]
    [InlineData("r := upper(\"x\")", true)]
    [InlineData("r := {k | some k, v in data.attestations; v.verified}", true)]
    [InlineData("r := x if { x := helper }\nhelper := 1", true)]
    [InlineData("r := f(1)\nf(x) := x + 1", true)]
    [InlineData("r := input.x", false)]
    [InlineData("r := x if { x := input }", false)]
    [InlineData("r := y if { y := helper }\nhelper := input.x", false)]
    [InlineData("r := f(1)\nf(x) := x + input.y", false)]
    [InlineData("r := time.now_ns()", false)]
    [InlineData("r := rand.intn(\"k\", 10)", false)]
    [InlineData("r := uuid.rfc4122(\"k\")", false)]
    [InlineData("r := io.jwt.decode_verify(\"x\", {\"secret\": \"s\"})", false)]
    [InlineData("r := crypto.x509.parse_and_verify_certificates(\"x\")", false)]
    [InlineData("r := count(data.attestations) if { print(\"x\") }", false)]
    [InlineData("r := x if { x := count(data.attestations) with data.attestations as {} }", false)]
    [InlineData("r := data[\"attestations\"]", true)]
    [InlineData("r := x if { k := \"attestations\"; x := data[k] }", false)]
    public void RulesOnBaseDataAloneAreMarked(string rules, bool expected) =>
        Assert.Equal(expected, IsDataOnly(Compile(rules), "r"));

    [Fact]
    public void ABuiltinTheApplicationRegisteredIsNotTrusted()
    {
        var builtins = BuiltinCatalog.CreateDefault();
        builtins.Register("app.lookup", [RegoType.String], RegoType.String, static (_, a) => a[0]);
        var engine = new RegoEngine(new RegoEngineOptions { Builtins = builtins });
        Assert.False(IsDataOnly(Compile("r := app.lookup(\"x\")", engine: engine), "r"));
        Assert.True(IsDataOnly(Compile("r := upper(\"x\")", engine: engine), "r"));
    }

    [Fact]
    public void TheValueIsKeptByThePolicyAndServesEveryInput()
    {
        var policy = Compile("""
            valid contains id if { some id; data.attestations[id].verified }
            allow if valid[input.id]
            """);
        var index = policy.Root.Children["t"].Children["valid"].DataOnlyIndex;
        Assert.Null(policy.DataOnlyValue(index));
        Assert.Equal("""{"result":true}""", Eval(policy, "data.t.allow", """{"id": "a1"}"""));
        Assert.Equal("""["a1","a3"]""", policy.DataOnlyValue(index)!.Value!.ToJson());
        Assert.Equal("{}", Eval(policy, "data.t.allow", """{"id": "a2"}"""));
        Assert.Equal("""{"result":true}""", Eval(policy, "data.t.allow", """{"id": "a3"}"""));
        Assert.Equal("""{"result":["a1","a3"]}""", Eval(policy, "data.t.valid"));

        // Another policy compiled from the same module with other data has values of its own.
        var other = Compile("valid contains id if { some id; data.attestations[id].verified }", """{"attestations": {"b": {"verified": true}}}""");
        Assert.Equal("""{"result":["b"]}""", Eval(other, "data.t.valid"));
        Assert.Equal("""{"result":["a1","a3"]}""", Eval(policy, "data.t.valid"));
    }

    [Fact]
    public void WithOnDataOrFunctionsComputesItsOwnValue()
    {
        var policy = Compile("""
            valid contains id if { some id; data.attestations[id].verified }
            n := count(valid)
            swapped := x if { x := n with data.attestations as {"z": {"verified": true}, "y": {"verified": true}, "x": {"verified": true}, "w": {"verified": true}} }
            mocked := x if { x := n with count as 42 }
            """);
        Assert.Equal("""{"result":2}""", Eval(policy, "data.t.n"));
        Assert.Equal("""{"result":4}""", Eval(policy, "data.t.swapped"));
        Assert.Equal("""{"result":42}""", Eval(policy, "data.t.mocked"));
        Assert.Equal("""{"result":2}""", Eval(policy, "data.t.n"));
    }

    [Fact]
    public void AReusedValueCountsTheStepsItTook()
    {
        var policy = Compile("valid contains id if { some id; data.attestations[id].verified }");
        Assert.Equal("""{"result":["a1","a3"]}""", Eval(policy, "data.t.valid"));
        var e = Assert.Throws<RegoEvaluationException>(() =>
            Eval(policy, "data.t.valid", settings: new EvaluationSettings { Limits = new EvaluationLimits { MaxSteps = 3 } }));
        Assert.Equal("eval_cancel_error: evaluation exceeded the step limit (3)", e.Message);
    }

    [Fact]
    public void AValueIsReusedOnlyUnderTheSameTreatmentOfBuiltinErrors()
    {
        var policy = Compile("r := x if { x := [v | some v in [\"1\", \"a\", \"2\"]; to_number(v) > 0] }");
        Assert.Equal("""{"result":["1","2"]}""", Eval(policy, "data.t.r"));
        var e = Assert.Throws<RegoEvaluationException>(() =>
            Eval(policy, "data.t.r", settings: new EvaluationSettings { StrictBuiltinErrors = true }));
        Assert.Contains("to_number", e.Message, StringComparison.Ordinal);
        Assert.Equal("""{"result":["1","2"]}""", Eval(policy, "data.t.r"));
    }

    [Fact]
    public void AnErrorIsNotKept()
    {
        var policy = Compile("r := x if { x := data.attestations.a1.verified }\nr := x if { x := data.attestations.a2.verified }");
        for (var i = 0; i < 2; i++)
        {
            var e = Assert.Throws<RegoEvaluationException>(() => Eval(policy, "data.t.r"));
            Assert.Equal("t.rego:4: eval_conflict_error: complete rules must not produce multiple outputs", e.Message);
        }

        Assert.Null(policy.DataOnlyValue(policy.Root.Children["t"].Children["r"].DataOnlyIndex));
    }
}
