using AgentFabric.Rego.Evaluation;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Evaluation;

/// <summary>Loops over an array filtered by equalities on the elements' fields: from the array's second scan on, the
/// elements that pass are looked up in an index. Each case evaluates the same query on the same values several
/// times (a scan, then the index) and pins the answer both must give.</summary>
public class ArrayFilterIndexTests
{
    private static readonly RegoEngine Engine = new();

    // Ten elements (above the length under which arrays are always scanned), with duplicates, an element without
    // the field, one whose field is an object, a number written two ways, and elements that are not objects.
    private const string Elements = """
        [{"a": "read", "n": 1}, {"a": "write", "n": 2}, "read", {"a": "read", "n": 3}, {"n": 4},
         {"a": "read", "n": 3}, 7, {"a": {"x": 1}, "n": 5}, {"a": "write", "n": 1.0}, {"a": "read", "n": 9}]
        """;

    private static readonly string Input = $$"""{"gs": {{Elements}}, "a": "read", "w": "write"}""";

    private static IEnumerable<string> EvalRepeatedly(string rule, string input, string? data = null)
    {
        var module = new RegoModuleSource("t.rego", "package t\nimport rego.v1\n" + rule);
        var policy = data is null ? Engine.Compile([module]) : Engine.Compile([module], Value.ParseJson(data));
        var query = Engine.Prepare(policy, "data.t.p");
        var value = Value.ParseJson(input);
        return Enumerable.Range(0, 4).Select(_ => query.Evaluate(value).ToJson()).ToArray();
    }

    [Theory]
    [InlineData("p := [g.n | some g in input.gs; g.a == input.a]", """{"result":[1,3,3,9]}""")]
    [InlineData("p := [i | some i, g in input.gs; g.a == input.a]", """{"result":[0,3,5,9]}""")]
    [InlineData("p := [g.n | some g in input.gs; input.w == g.a]", """{"result":[2,1.0]}""")]
    [InlineData("p := [g.a | some g in input.gs; g.n == 1]", """{"result":["read","write"]}""")]
    [InlineData("p := [g.n | some g in input.gs; g.a == {\"x\": 1}]", """{"result":[5]}""")]
    [InlineData("p := [g.n | some g in input.gs; g.a == \"read\"; g.n == 3]", """{"result":[3,3]}""")]
    [InlineData("p := [g.n | some g in input.gs; g.a == \"read\"; g.n == 4]", """{"result":[]}""")]
    [InlineData("p := [g.n | some g in input.gs; g.a == input.missing]", """{"result":[]}""")]
    [InlineData("p := [g.n | some g in input.gs; g.a == \"read\"; g.n != 3]", """{"result":[1,9]}""")]
    [InlineData("p contains g.n if { some g in input.gs; g.a == input.a }", """{"result":[1,3,9]}""")]
    [InlineData("p if { some g in input.gs; g.a == \"write\"; g.n == 1 }", """{"result":true}""")]
    [InlineData("p := count([g | some g in input.gs; g.a == \"read\"; g.n > 2])", """{"result":3}""")]
    public void IndexedLoopsGiveWhatTheScanGives(string rule, string expected)
    {
        foreach (var result in EvalRepeatedly(rule, Input))
        {
            Assert.Equal(expected, result);
        }
    }

    [Theory]
    [InlineData("\"read\"", true)]
    [InlineData("7", true)]
    [InlineData("7.0", true)]
    [InlineData("{\"n\": 4}", true)]
    [InlineData("{\"n\": 4.5}", false)]
    [InlineData("\"write\"", false)]
    [InlineData("null", false)]
    public void MembershipInALongArrayIsALookup(string item, bool expected)
    {
        var results = EvalRepeatedly("p := input.x in input.gs", $$"""{"gs": {{Elements}}, "x": {{item}}}""");
        Assert.All(results, r => Assert.Equal($$"""{"result":{{(expected ? "true" : "false")}}}""", r));
    }

    [Fact]
    public void LoopsOverDataArraysUseTheIndexAcrossEvaluations()
    {
        var data = $$$"""{"roles": {"dev": {{{Elements}}}}}""";
        var results = EvalRepeatedly("p := [g.n | some g in data.roles[input.role]; g.a == input.a]", """{"role": "dev", "a": "read"}""", data);
        Assert.All(results, r => Assert.Equal("""{"result":[1,3,3,9]}""", r));
    }

    [Fact]
    public void ConcurrentEvaluationsShareTheIndexes()
    {
        // 40 grants of 4 actions on 10 resources; threads ask for every (action, resource) pair at once, through
        // two loops with different filters, so indexes are built and published while others read them.
        var grants = Enumerable.Range(0, 40).Select(i => $$"""{"a": "a{{i % 4}}", "r": "r{{i % 10}}", "i": {{i}}}""");
        var data = Value.ParseJson($$"""{"grants": [{{string.Join(", ", grants)}}]}""");
        var policy = Engine.Compile([new RegoModuleSource("t.rego", """
            package t
            import rego.v1
            both := [g.i | some g in data.grants; g.a == input.a; g.r == input.r]
            by_action := [g.i | some g in data.grants; g.a == input.a]
            """)], data);
        var both = Engine.Prepare(policy, "data.t.both");
        var byAction = Engine.Prepare(policy, "data.t.by_action");
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            var (a, r) = (n % 4, n % 10);
            var input = Value.ParseJson($$"""{"a": "a{{a}}", "r": "r{{r}}"}""");
            var expectedBoth = Enumerable.Range(0, 40).Where(i => i % 4 == a && i % 10 == r);
            var expectedByAction = Enumerable.Range(0, 40).Where(i => i % 4 == a);
            Assert.Equal($"{{\"result\":[{string.Join(",", expectedBoth)}]}}", both.Evaluate(input).ToJson());
            Assert.Equal($"{{\"result\":[{string.Join(",", expectedByAction)}]}}", byAction.Evaluate(input).ToJson());
        });
    }

    [Fact]
    public void AnArrayIsIndexedOnItsSecondScanAndKeepsTheIndex()
    {
        var array = (ArrayValue)Value.ParseJson(Elements);
        Value[][] paths = [[StringValue.Create("a")]];
        Assert.Null(ArrayFilterIndex.For(array, paths));
        var index = ArrayFilterIndex.For(array, paths);
        Assert.NotNull(index);
        Assert.Same(index, ArrayFilterIndex.For(array, paths));

        // Another set of paths gets its own index, built without waiting for another scan.
        Value[][] other = [[StringValue.Create("n")]];
        var byN = ArrayFilterIndex.For(array, other);
        Assert.NotNull(byN);
        Assert.Equal([0, 8], byN.Find([NumberValue.Create(1)]).ToArray());
        Assert.Same(index, ArrayFilterIndex.For(array, paths));
    }

    [Fact]
    public void FindGivesPositionsInArrayOrder()
    {
        var array = (ArrayValue)Value.ParseJson(Elements);
        Value[][] paths = [[StringValue.Create("a")], [StringValue.Create("n")]];
        ArrayFilterIndex.For(array, paths);
        var index = ArrayFilterIndex.For(array, paths)!;
        Assert.Equal([3, 5], index.Find([StringValue.Create("read"), NumberValue.Create(3)]).ToArray());
        Assert.Equal([0], index.Find([StringValue.Create("read"), NumberValue.Create(1)]).ToArray());
        Assert.Equal([8], index.Find([StringValue.Create("write"), Value.ParseJson("1.0")]).ToArray());
        Assert.True(index.Find([StringValue.Create("read"), NumberValue.Create(4)]).IsEmpty);
        Assert.True(index.Find([NumberValue.Create(4), StringValue.Create("read")]).IsEmpty);
    }
}
