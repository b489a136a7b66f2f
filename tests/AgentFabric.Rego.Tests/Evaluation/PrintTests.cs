namespace AgentFabric.Rego.Tests.Evaluation;

public class PrintTests
{
    [Fact]
    public void PrintWritesOperandsAndUndefinedWithoutFailingTheRule()
    {
        var lines = new List<string>();
        var engine = new RegoEngine(new RegoEngineOptions { Print = lines.Add });
        var policy = engine.Compile([new RegoModuleSource("p.rego", "package p\nallow if {\n  print(\"user\", input.user, input.missing, {1})\n}")]);
        var result = engine.Prepare(policy, "data.p.allow").EvaluateJson("{\"user\": \"ann\"}");
        Assert.True(result.IsTrue);
        Assert.Equal(["user ann <undefined> {1}"], lines);
    }
}
