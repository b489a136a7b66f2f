using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Evaluation;

/// <summary>Small helper rules are inlined where other rules refer to them (a boolean helper used as a literal, a
/// value helper used in a reference, a set helper iterated by a loop): which helpers qualify, and that the inlined
/// copy gives the same answers, errors and overrides as the rule it stands for.</summary>
public class InlineHelperTests
{
    private static readonly RegoEngine Engine = new();

    private const string Data = """
        {"callers": {"c1": {"scopes": ["read", "write"]}, "c2": {"scopes": ["read"]}},
         "items": [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]}
        """;

    private static CompiledPolicy Compile(string rules, string data = Data) =>
        Engine.Compile([new RegoModuleSource("t.rego", "package t\nimport rego.v1\n" + rules)], Value.ParseJson(data));

    private static Ast.Rule? InlinedCopy(CompiledPolicy policy, string rule, int index = 0) =>
        policy.Root.Children["t"].Children[rule].Rules[index].Rule.Inlined;

    private static string Eval(CompiledPolicy policy, string query, string input) =>
        Engine.Prepare(policy, query).Evaluate(Value.ParseJson(input)).ToJson();

    [Fact]
    public void BooleanHelpersBecomeLiteralsAndValueHelpersBecomeReferences()
    {
        var copy = InlinedCopy(Compile(TestPolicies.Inventory), "allow", 1);
        Assert.NotNull(copy);
        Assert.Equal(
            ["input.method in {\"POST\", \"PUT\"}", "input.path[0] == \"items\"", "\"write\" in data.callers[input.caller].scopes"],
            copy.Body.Exprs.Select(e => e.ToString()));

        // The literal that is now a plain comparison with the input is a guard of the copy.
        Assert.Contains(copy.Guards, g => g.Constant.Equals(StringValue.Create("items")));
    }

    [Theory]
    [InlineData("""{"method": "PUT", "path": ["items", "x"], "caller": "c1"}""", true)]
    [InlineData("""{"method": "PUT", "path": ["items", "x"], "caller": "c2"}""", false)]
    [InlineData("""{"method": "GET", "path": ["items"], "caller": "c2"}""", true)]
    [InlineData("""{"method": "GET", "path": ["other"], "caller": "c1"}""", false)]
    [InlineData("""{"method": "GET", "path": [], "caller": "c1"}""", false)]
    [InlineData("""{"method": "PUT", "path": ["items"], "caller": "nobody"}""", false)]
    [InlineData("""{"method": "PUT", "path": ["items"]}""", false)]
    [InlineData("""{"method": "PUT", "path": "items", "caller": "c1"}""", false)]
    public void InlinedRulesDecideAsTheOriginals(string input, bool expected)
    {
        var policy = Compile(TestPolicies.Inventory);
        Assert.Equal($$"""{"result":{{(expected ? "true" : "false")}}}""", Eval(policy, "data.t.allow", input));

        // The helpers keep their own values too.
        var caller = Value.ParseJson(input) is ObjectValue o && o.Get("caller") is StringValue c && c.Value is "c1" or "c2";
        Assert.Equal(caller, Eval(policy, "data.t.caller", input) != "{}");
    }

    [Theory]
    [InlineData("h if input.x == 1\nh if input.y == 1", false)] // two definitions
    [InlineData("default h := false\nh if input.x == 1", false)] // a default
    [InlineData("h if { v := input.x; v == 1 }", false)] // a local variable
    [InlineData("h if { some v in input.xs; v == 1 }", false)] // an iteration
    [InlineData("h if input.x == 1 with input.y as 2", false)] // a with modifier
    [InlineData("h if { print(\"x\"); input.x == 1 }", false)] // print
    [InlineData("h if rand.intn(\"k\", 2) == input.x", false)] // a nondeterministic builtin
    [InlineData("h if f(input.x)\nf(v) if v == 1", false)] // a function
    [InlineData("h if input.x == 1 else := false", false)] // an else branch
    [InlineData("h if count([x | some x in input.xs]) == 1", false)] // a comprehension
    [InlineData("h if input.x == 1", true)]
    [InlineData("h if { upper(input.x) == \"A\"; not input.y }", true)]
    public void OnlyClosedSingleDefinitionHelpersAreInlined(string helper, bool inlined)
    {
        var policy = Compile("allow if { input.z == 1; h }\n" + helper);
        Assert.Equal(inlined, InlinedCopy(policy, "allow") is not null);
    }

    [Fact]
    public void WithOnDataInATestRuleSeesTheOverride()
    {
        var policy = Compile(TestPolicies.Inventory + "\ntest_override if allow with data.t.is_item as true with input as {\"method\": \"GET\", \"path\": [\"x\"], \"caller\": \"c1\"}");
        Assert.NotNull(InlinedCopy(policy, "allow", 0));
        Assert.Equal("""{"result":true}""", Eval(policy, "data.t.test_override", "{}"));
        Assert.Equal("""{"result":false}""", Eval(policy, "data.t.allow", """{"method": "GET", "path": ["x"], "caller": "c1"}"""));
    }

    [Fact]
    public void WithOnDataInTheQuerySeesTheOverride()
    {
        var policy = Compile(TestPolicies.Inventory);
        Assert.NotNull(InlinedCopy(policy, "allow", 1));
        const string input = """{"method": "PUT", "path": ["other"], "caller": "c1"}""";
        Assert.Equal("""{"result":false}""", Eval(policy, "data.t.allow", input));
        var rows = Engine.Prepare(policy, "x := data.t.allow with data.t.is_item as true").Evaluate(Value.ParseJson(input));
        Assert.Equal("""{"result":[{"x":true}]}""", rows.ToJson());
    }

    [Fact]
    public void ErrorsInAnInlinedHelperKeepTheHelpersLocation()
    {
        var policy = Compile("allow if { input.a == 1; h }\nh if 10 / input.zero > 1");
        Assert.NotNull(InlinedCopy(policy, "allow"));
        var settings = new EvaluationSettings { StrictBuiltinErrors = true };
        var e = Assert.Throws<RegoEvaluationException>(() =>
            Engine.Prepare(policy, "data.t.allow").Evaluate(Value.ParseJson("""{"a": 1, "zero": 0}"""), settings: settings));
        Assert.Equal("eval_builtin_error", e.Code);
        Assert.Equal(4, e.Location!.Value.Line);
    }

    [Fact]
    public void AFilteredLoopBeforeAnInlinedHelperKeepsItsFilters()
    {
        var policy = Compile("""
            r contains p.b if {
            	some p in data.items
            	h
            	p.a == input.a
            }
            h if input.ok == true
            """);
        Assert.NotNull(InlinedCopy(policy, "r"));
        Assert.Equal("""{"result":["y"]}""", Eval(policy, "data.t.r", """{"ok": true, "a": 2}"""));
        Assert.Equal("""{"result":[]}""", Eval(policy, "data.t.r", """{"ok": false, "a": 2}"""));
        Assert.Equal("""{"result":["x"]}""", Eval(policy, "data.t.r", """{"ok": true, "a": 1}"""));
    }

    [Fact]
    public void BaseDataAtAHelpersPathIsSeen()
    {
        var policy = Compile("allow if { input.a == 1; \"write\" in caller.scopes }\ncaller := data.callers[input.caller]", """
            {"callers": {"c1": {"scopes": ["read"]}}, "t": {"caller": {"scopes": ["write"]}}}
            """);
        Assert.NotNull(InlinedCopy(policy, "allow"));
        Assert.Equal("""{"result":true}""", Eval(policy, "data.t.allow", """{"a": 1, "caller": "c1"}"""));
    }

    // The shared fixture's RBAC policy, with rules that collect from its set helper.
    private const string Rbac = TestPolicies.Rbac + "\n" + """
        types contains g.type if {
        	some g in user_is_granted
        }
        one_type := g.type if {
        	some g in user_is_granted
        	g.action == "update"
        }
        """;

    private const string RbacData = """
        {"user_roles": {"alice": ["admin"], "bob": ["employee", "billing"], "carl": ["billing", "billing"], "eve": "customer"},
         "role_grants": {"employee": [{"action": "read", "type": "dog"}, {"action": "update", "type": "cat"}],
                         "billing": [{"action": "read", "type": "finance"}, {"action": "update", "type": "finance"}]}}
        """;

    [Fact]
    public void ASetHelperIteratedByALoopBecomesItsLoops()
    {
        var copy = InlinedCopy(Compile(Rbac, RbacData), "allow", 1);
        Assert.NotNull(copy);
        Assert.Equal(
            ["some role in data.user_roles[input.user]", "some grant in data.role_grants[role]", "input.action == grant.action", "input.type == grant.type"],
            copy.Body.Exprs.Select(e => e.ToString()));
    }

    // Under a `with` on data the rules are evaluated as written: the reference answers.
    [Theory]
    [InlineData("data.t.allow", """{"user": "bob", "action": "update", "type": "finance"}""")]
    [InlineData("data.t.allow", """{"user": "bob", "action": "update", "type": "dog"}""")]
    [InlineData("data.t.allow", """{"user": "alice", "action": "delete", "type": "x"}""")]
    [InlineData("data.t.allow", """{"user": "eve", "action": "read", "type": "dog"}""")]
    [InlineData("data.t.allow", """{"user": "nobody"}""")]
    [InlineData("data.t.types", """{"user": "bob"}""")]
    [InlineData("data.t.types", """{"user": "carl"}""")]
    [InlineData("data.t.one_type", """{"user": "carl"}""")]
    [InlineData("data.t.one_type", """{"user": "eve"}""")]
    public void InlinedSetLoopsDecideAsTheBuiltSet(string query, string input)
    {
        var policy = Compile(Rbac, RbacData);
        Assert.NotNull(InlinedCopy(policy, "allow", 1));
        Assert.Equal(Eval(policy, $"x := {query} with data.unrelated as 1", input), Eval(policy, $"x := {query}", input));
    }

    [Fact]
    public void AConflictFoundThroughInlinedLoopsIsTheSameError()
    {
        var inlined = Compile(Rbac, RbacData);
        Assert.NotNull(InlinedCopy(inlined, "one_type"));
        var e = Assert.Throws<RegoEvaluationException>(() => Eval(inlined, "data.t.one_type", """{"user": "bob"}"""));
        Assert.Equal("eval_conflict_error", e.Code);
    }

    [Theory]
    [InlineData("s contains g if { some g in input.xs }\ns contains g if { some g in input.ys }")] // two definitions
    [InlineData("s contains g if { some x in input.xs; g := lower(x) }")] // a builtin that can fail
    [InlineData("s contains g if { some g in input.xs; g != other }\nother := input.y")] // another rule
    public void SetHelpersThatCouldFailOrDependOnRulesStayBuilt(string helper)
    {
        var policy = Compile("r if { some g in s; g == input.want }\n" + helper, "{}");
        Assert.Null(InlinedCopy(policy, "r"));
    }

    [Theory]
    [InlineData("r if { some i, g in s; g == input.want }")] // the loop names an index
    [InlineData("r if { some g in s; g == input.want; print(g) }")] // print would see repeated members
    public void LoopsThatWouldSeeTheSetsShapeStayOnTheSet(string rule)
    {
        var policy = Compile(rule + "\ns contains g if { some g in input.xs }", "{}");
        Assert.Null(InlinedCopy(policy, "r"));
    }
}
