namespace AgentFabric.Rego.Tests;

/// <summary>YAML documents as OPA reads data files: YAML 1.1 scalars, string keys, and positioned errors.</summary>
public class RegoYamlTests
{
    [Theory]
    [InlineData("a: 1\nb: [x, 2.5]\n", "{\"a\":1,\"b\":[\"x\",2.5]}")]
    [InlineData("on: yes\n\"no\": off\n", "{\"no\":false,\"true\":true}")]
    [InlineData("", "null")]
    [InlineData("- 1\n- ~\n", "[1,null]")]
    public void ParsesAsOpaDoes(string yaml, string json) => Assert.Equal(json, RegoYaml.Parse(yaml).ToJson());

    [Fact]
    public void ErrorsCarryTheirPosition()
    {
        var e = Assert.Throws<RegoYamlException>(() => RegoYaml.Parse("a:\n  b: [1, 2\n"));
        Assert.Equal("yaml: line 2: did not find expected ',' or ']'", e.Message);
        Assert.Equal((3, 1), (e.Line, e.Column));
    }
}
