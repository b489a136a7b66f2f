using AgentFabric.Authorization.Bundles;
using AgentFabric.PolicyServer.Hosting;

namespace AgentFabric.PolicyServer.Tests;

public sealed class OperationsApiTests : IAsyncLifetime
{
    private readonly string _temp = TestBundles.TempDirectory();
    private RunningPolicyServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningPolicyServer.StartAsync(new PolicyServerOptions { BundlePaths = [TestBundles.App("r1", _temp)] });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_temp, recursive: true);
    }

    [Theory]
    [InlineData("health", 200, "{}")]
    [InlineData("health?bundles", 200, "{}")]
    [InlineData("health?plugins", 200, "{}")]
    [InlineData("live", 200, "{}")]
    [InlineData("ready", 200, "{}")]
    [InlineData("v1/data/app/answer?input=%7B%22user%22%3A%22u%22%7D", 200, """{"result":{"data":"r1","policy":"r1","user":"u"}}""")]
    [InlineData("v1/data/app/answer?provenance", 200, """{"provenance":{"version":"1.0.0","bundles":{"app":{"revision":"r1"}}}}""")]
    public async Task Endpoints(string path, int status, string expected)
    {
        Assert.Equal((status, expected), await _server.SendAsync(HttpMethod.Get, path));
    }

    [Theory]
    [InlineData("PUT", "v1/data/app/x", "1", """{"code":"invalid_parameter","message":"path /app/x is owned by bundle \"app\""}""")]
    [InlineData("PUT", "v1/data", "{}", """{"code":"invalid_parameter","message":"path / is owned by bundle \"app\""}""")]
    [InlineData("DELETE", "v1/data/app", null, """{"code":"invalid_parameter","message":"path /app is owned by bundle \"app\""}""")]
    [InlineData("PATCH", "v1/data", """[{"op":"add","path":"/app/y","value":1}]""", """{"code":"invalid_parameter","message":"path /app/y is owned by bundle \"app\""}""")]
    [InlineData("PUT", "v1/policies/p", "package app.sub\n\nz := 1\n", """{"code":"invalid_parameter","message":"path /app/sub is owned by bundle \"app\""}""")]
    public async Task WritesIntoABundleRootAreRefused(string method, string path, string? body, string expected)
    {
        Assert.Equal((400, expected), await _server.SendAsync(new HttpMethod(method), path, body));
    }

    [Fact]
    public async Task WritesOutsideTheRootsCompileWithTheBundle()
    {
        Assert.Equal(204, (await _server.SendAsync(HttpMethod.Put, "v1/data/other", """{"k":1}""")).Status);
        await _server.PutPolicyAsync("o", "package other2\n\nboth := [data.app.revision, data.other.k]\n");
        Assert.Equal("""{"result":["r1",1]}""", (await _server.SendAsync(HttpMethod.Get, "v1/data/other2/both")).Body);

        // A later activation keeps the API-written documents.
        Assert.True(_server.Runtime.Activator.Activate(PolicyBundle.LoadPath("app", TestBundles.App("r2", _temp))).Succeeded);
        Assert.Equal("""{"result":["r2",1]}""", (await _server.SendAsync(HttpMethod.Get, "v1/data/other2/both")).Body);
    }

    [Fact]
    public async Task StatusReportsTheActiveRevision()
    {
        var (status, body) = await _server.SendAsync(HttpMethod.Get, "v1/status");
        Assert.Equal(200, status);
        Assert.Contains("\"bundles\":{\"app\":{\"name\":\"app\",\"active_revision\":\"r1\",\"last_successful_activation\":\"", body, StringComparison.Ordinal);
        Assert.Contains("\"plugins\":{\"bundle\":{\"state\":\"OK\"}}", body, StringComparison.Ordinal);
        Assert.StartsWith("{\"result\":{\"labels\":{\"id\":\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsCountDecisionsAndActivations()
    {
        // A server of its own: the other tests' decisions would count too.
        await using var server = await RunningPolicyServer.StartAsync(new PolicyServerOptions { BundlePaths = [TestBundles.App("m", _temp)] });
        await server.SendAsync(HttpMethod.Post, "v1/data/app/answer", """{"input":{"user":"u"}}""");
        await server.SendAsync(HttpMethod.Post, "v1/data/app/none", """{"input":{}}""");
        var (status, body) = await server.SendAsync(HttpMethod.Get, "metrics");
        Assert.Equal(200, status);
        Assert.Contains("agentfabric_policy_decisions_total{result=\"other\"} 1\n", body, StringComparison.Ordinal);
        Assert.Contains("agentfabric_policy_decisions_total{result=\"undefined\"} 1\n", body, StringComparison.Ordinal);
        Assert.Contains("agentfabric_policy_decision_duration_seconds_count 2\n", body, StringComparison.Ordinal);
        Assert.Contains("agentfabric_bundle_activations_total{result=\"success\"} 1\n", body, StringComparison.Ordinal);
        Assert.Contains("agentfabric_decision_logs_dropped_total 0\n", body, StringComparison.Ordinal);
    }
}

public sealed class NotReadyTests
{
    [Fact]
    public async Task NotReadyUntilTheBundleIsActive()
    {
        var temp = TestBundles.TempDirectory();
        try
        {
            var missing = Path.Combine(temp, "nothing-here");
            await using var server = await RunningPolicyServer.StartAsync(new PolicyServerOptions { BundlePaths = [missing] });
            Assert.Equal((503, """{"error":"not all configured bundles have been activated"}"""), await server.SendAsync(HttpMethod.Get, "ready"));
            Assert.Equal((500, """{"error":"not all configured bundles have been activated"}"""), await server.SendAsync(HttpMethod.Get, "health?bundles"));
            Assert.Equal((500, """{"error":"not all plugins in OK state"}"""), await server.SendAsync(HttpMethod.Get, "health?plugins"));
            Assert.Equal((200, "{}"), await server.SendAsync(HttpMethod.Get, "health?plugins&exclude-plugin=bundle"));
            Assert.Equal((200, "{}"), await server.SendAsync(HttpMethod.Get, "live"));
            var (_, status) = await server.SendAsync(HttpMethod.Get, "v1/status");
            Assert.Contains("\"nothing-here\":{\"name\":\"nothing-here\",\"last_request\":", status, StringComparison.Ordinal);
            Assert.Contains("\"code\":\"bundle_error\"", status, StringComparison.Ordinal);
            Assert.Contains("agentfabric_bundle_activations_total{result=\"failure\"} 1\n", (await server.SendAsync(HttpMethod.Get, "metrics")).Body, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
