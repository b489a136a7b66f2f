namespace AgentFabric.PolicyServer.Tests;

public sealed class PolicyApiTests : IAsyncLifetime
{
    private RunningPolicyServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningPolicyServer.StartAsync();
        await _server.PutPolicyAsync("a/b.rego", "package a\n\nx := 1\n");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ListAndGet()
    {
        Assert.Equal("""{"result":[{"id":"a/b.rego","raw":"package a\n\nx := 1\n"}]}""", (await _server.SendAsync(HttpMethod.Get, "v1/policies")).Body);
        Assert.Equal("""{"result":{"id":"a/b.rego","raw":"package a\n\nx := 1\n"}}""", (await _server.SendAsync(HttpMethod.Get, "v1/policies/a/b.rego")).Body);
        Assert.Equal((404, """{"code":"resource_not_found","message":"storage_not_found_error: policy id \"nope\""}"""), await _server.SendAsync(HttpMethod.Get, "v1/policies/nope"));
    }

    [Theory]
    [InlineData("package a\n\ny := z\n", "rego_unsafe_var_error", "var z is unsafe")]
    [InlineData("package a\n\ny := \n", "rego_parse_error", "")]
    [InlineData("package a\n\np if q\n\nq if p\n", "rego_recursion_error", "")]
    public async Task BadPolicyIsRefusedInOpasCompileShapeAndThePreviousStateKeepsServing(string rego, string code, string message)
    {
        var (status, body) = await _server.SendAsync(HttpMethod.Put, "v1/policies/bad", rego, "text/plain");
        Assert.Equal(400, status);
        Assert.StartsWith($$"""{"code":"invalid_parameter","message":"error(s) occurred while compiling module(s)","errors":[{"code":"{{code}}","message":"{{message}}""", body, StringComparison.Ordinal);
        Assert.Contains("\"location\":{\"file\":", body, StringComparison.Ordinal);
        Assert.Equal("""{"result":1}""", (await _server.SendAsync(HttpMethod.Get, "v1/data/a/x")).Body);
        Assert.Equal(404, (await _server.SendAsync(HttpMethod.Get, "v1/policies/bad")).Status);
    }

    [Fact]
    public async Task DeleteRemovesTheModule()
    {
        Assert.Equal((200, "{}"), await _server.SendAsync(HttpMethod.Delete, "v1/policies/a/b.rego"));
        Assert.Equal("{}", (await _server.SendAsync(HttpMethod.Get, "v1/data/a/x")).Body);
        Assert.Equal(404, (await _server.SendAsync(HttpMethod.Delete, "v1/policies/a/b.rego")).Status);
    }

    [Fact]
    public async Task DeletingAModuleOthersDependOnIsRefused()
    {
        await _server.PutPolicyAsync("lib", "package lib\n\nf(x) := x + 1\n");
        await _server.PutPolicyAsync("user", "package user\n\ny := data.lib.f(1)\n");
        var (status, body) = await _server.SendAsync(HttpMethod.Delete, "v1/policies/lib");
        Assert.Equal(400, status);
        Assert.StartsWith("""{"code":"invalid_parameter","message":"error(s) occurred while compiling module(s)","errors":[""", body, StringComparison.Ordinal);
        Assert.Equal("""{"result":2}""", (await _server.SendAsync(HttpMethod.Get, "v1/data/user/y")).Body);
    }

    [Theory]
    [InlineData("GET", "v1/query?q=data.a.x%20%3D%3D%201", null, """{"result":[{}]}""")]
    [InlineData("GET", "v1/query?q=x%20%3A%3D%20data.a.x", null, """{"result":[{"x":1}]}""")]
    [InlineData("GET", "v1/query?q=data.a.x%20%3D%3D%202", null, "{}")]
    [InlineData("POST", "v1/query", """{"query":"y := input.v + data.a.x","input":{"v":2}}""", """{"result":[{"y":3}]}""")]
    [InlineData("POST", "v1/query", """{"query":"some i; [1,2][i] > 1"}""", """{"result":[{"i":1}]}""")]
    public async Task Query(string method, string path, string? body, string expected)
    {
        Assert.Equal((200, expected), await _server.SendAsync(new HttpMethod(method), path, body));
    }

    [Theory]
    [InlineData("v1/query?q=x%20%3A%3D", "error(s) occurred while parsing query")]
    [InlineData("v1/query?q=y%20%3D%3D%201", "error(s) occurred while compiling query")]
    [InlineData("v1/query", "missing query: the q parameter (GET) or the \\\"query\\\" field (POST)")]
    public async Task BadQueryIs400(string path, string message)
    {
        var (status, body) = await _server.SendAsync(HttpMethod.Get, path);
        Assert.Equal(400, status);
        Assert.StartsWith($$"""{"code":"invalid_parameter","message":"{{message}}""", body, StringComparison.Ordinal);
    }
}
