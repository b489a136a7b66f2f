namespace AgentFabric.Authorization.Tests.Decisions;

public sealed class DecisionPathTests
{
    [Theory]
    [InlineData("agentfabric/authz/allow", "agentfabric/authz/allow", "data.agentfabric.authz.allow")]
    [InlineData("/agentfabric/authz/allow", "agentfabric/authz/allow", "data.agentfabric.authz.allow")]
    [InlineData("data.agentfabric.authz.allow", "agentfabric/authz/allow", "data.agentfabric.authz.allow")]
    [InlineData("_x/y1", "_x/y1", "data._x.y1")]
    public void Parses(string text, string slash, string rego)
    {
        var path = DecisionPath.Parse(text);

        Assert.Equal(slash, path.ToString());
        Assert.Equal(rego, path.RegoReference);
    }

    [Theory]
    [InlineData("", "decision path: empty")]
    [InlineData("a//b", "decision path: segment '' of 'a//b' is not a Rego identifier")]
    [InlineData("a/b-c", "decision path: segment 'b-c' of 'a/b-c' is not a Rego identifier")]
    [InlineData("a/1b", "decision path: segment '1b' of 'a/1b' is not a Rego identifier")]
    [InlineData("a/b?x=1", "decision path: segment 'b?x=1' of 'a/b?x=1' is not a Rego identifier")]
    [InlineData("data.", "decision path: segment '' of 'data.' is not a Rego identifier")]
    public void Refuses(string text, string error)
    {
        Assert.False(DecisionPath.TryParse(text, out _, out var reason));
        Assert.Equal(error, reason);
        Assert.Equal(error + " (Parameter 'path')", Assert.Throws<ArgumentException>(() => DecisionPath.Parse(text)).Message);
    }

    [Fact]
    public void Equal_paths_are_equal() =>
        Assert.Equal(DecisionPath.Parse("data.a.b"), DecisionPath.Parse("/a/b"));
}
