using System.Text.Json.Nodes;

namespace ResearchAgents.Providers.Tests.Infrastructure;

internal static class JsonAssert
{
    /// <summary>Equal as JSON (member order and whitespace aside); on failure both are shown.</summary>
    public static void Equal(string expected, string actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        var actualNode = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(expectedNode, actualNode), $"expected {expectedNode?.ToJsonString()}\nactual   {actualNode?.ToJsonString()}");
    }
}
