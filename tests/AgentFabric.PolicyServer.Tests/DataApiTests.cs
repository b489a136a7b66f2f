namespace AgentFabric.PolicyServer.Tests;

public sealed class DataApiTests : IAsyncLifetime
{
    private const string Policy = """
        package app.authz

        default allow := false

        allow if input.user == "alice"

        greeting := sprintf("hello %s", [input.user])

        conflict = 1 if input.conflict
        conflict = 2 if input.conflict

        strict := to_number(input.n)
        """;

    private const string Main = """
        package system

        main := {"allowed": data.app.authz.allow} if input.user
        """;

    private RunningPolicyServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningPolicyServer.StartAsync();
        await _server.PutPolicyAsync("authz", Policy);
        await _server.PutPolicyAsync("main", Main);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("POST", "v1/data/app/authz/allow", """{"input":{"user":"alice"}}""", 200, """{"result":true}""")]
    [InlineData("POST", "v1/data/app/authz/allow", """{"input":{"user":"bob"}}""", 200, """{"result":false}""")]
    [InlineData("POST", "v1/data/app/authz/greeting", """{"input":{"user":"bob"}}""", 200, """{"result":"hello bob"}""")]
    [InlineData("POST", "v1/data/app/authz/nothing", """{"input":{}}""", 200, "{}")]
    [InlineData("POST", "v1/data/app/authz/allow", "", 200, """{"result":false,"warning":{"code":"api_usage_warning","message":"'input' key missing from the request"}}""")]
    [InlineData("POST", "v1/data/app/authz/allow", """{"inptu":{}}""", 200, """{"result":false,"warning":{"code":"api_usage_warning","message":"'input' key missing from the request"}}""")]
    [InlineData("GET", "v1/data/app/authz/allow?input=%7B%22user%22%3A%22alice%22%7D", null, 200, """{"result":true}""")]
    [InlineData("GET", "v1/data/app/authz/allow", null, 200, """{"result":false}""")]
    [InlineData("GET", "v1/data/app/authz/missing", null, 200, "{}")]
    [InlineData("POST", "v1/data/app/authz/allow", "{not json", 400, null)]
    [InlineData("POST", "v1/data/app/authz/allow", "[1]", 400, """{"code":"invalid_parameter","message":"body contains malformed input document: the request body must be an object"}""")]
    [InlineData("GET", "v1/data/app/authz/allow?input=%7B", null, 400, null)]
    [InlineData("POST", "v1/data/app/authz/conflict", """{"input":{"conflict":true}}""", 500, null)]
    [InlineData("POST", "", """{"user":"alice"}""", 200, """{"allowed":true}""")]
    [InlineData("POST", "", """{}""", 404, """{"code":"undefined_document","message":"document missing or undefined: data.system.main"}""")]
    public async Task Decisions(string method, string path, string? body, int status, string? expected)
    {
        var (actualStatus, actual) = await _server.SendAsync(new HttpMethod(method), path, body);
        Assert.Equal(status, actualStatus);
        if (expected is not null)
        {
            Assert.Equal(expected, actual);
        }
        else
        {
            Assert.Contains(actualStatus == 500 ? "\"code\":\"internal_error\"" : "\"code\":\"invalid_parameter\"", actual, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EvaluationErrorIsOpasInternalErrorWithTheRegoError()
    {
        var (status, body) = await _server.SendAsync(HttpMethod.Post, "v1/data/app/authz/conflict", """{"input":{"conflict":true}}""");
        Assert.Equal(500, status);
        Assert.StartsWith("""{"code":"internal_error","message":"error(s) occurred while evaluating query","errors":[{"code":"eval_conflict_error",""", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 200, "{}")]
    [InlineData("?strict-builtin-errors", 500, null)]
    public async Task StrictBuiltinErrors(string query, int status, string? expected)
    {
        var (actualStatus, body) = await _server.SendAsync(HttpMethod.Post, "v1/data/app/authz/strict" + query, """{"input":{"n":"x"}}""");
        Assert.Equal(status, actualStatus);
        if (expected is not null)
        {
            Assert.Equal(expected, body);
        }
        else
        {
            Assert.Contains("\"code\":\"internal_error\"", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("?metrics", "\"metrics\":{\"timer_rego_query_eval_ns\":")]
    [InlineData("?instrument", "\"timer_server_handler_ns\":")]
    [InlineData("?provenance", "\"provenance\":{\"version\":")]
    [InlineData("?pretty", "{\n  \"result\": true\n}")]
    public async Task QueryParameters(string query, string expectedPart)
    {
        var (status, body) = await _server.SendAsync(HttpMethod.Post, "v1/data/app/authz/allow" + query, """{"input":{"user":"alice"}}""");
        Assert.Equal(200, status);
        Assert.Contains(expectedPart, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WholeDataDocument()
    {
        var (status, body) = await _server.SendAsync(HttpMethod.Post, "v1/data", """{"input":{"user":"alice"}}""");
        Assert.Equal(200, status);
        Assert.StartsWith("""{"result":{"app":{"authz":{"allow":true,""", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task OtherMethodsOnQueryAre405(string method)
    {
        var (status, _) = await _server.SendAsync(new HttpMethod(method), "v1/query");
        Assert.Equal(405, status);
    }
}
