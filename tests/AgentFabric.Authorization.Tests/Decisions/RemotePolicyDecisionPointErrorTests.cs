using System.Net;
using AgentFabric.Authorization.Tests.Fixtures;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;
using AgentFabric.Testing;
using Microsoft.AspNetCore.Http;

namespace AgentFabric.Authorization.Tests.Decisions;

/// <summary>The remote PDP fails closed: every failure is a specific exception, never a decision.</summary>
public sealed class RemotePolicyDecisionPointErrorTests
{
    private static readonly HttpClient Http = new();
    private static readonly DecisionPath Allow = DecisionPath.Parse("authz/allow");

    [Theory]
    [InlineData(400, """{"code":"invalid_parameter","message":"body contains malformed input document: invalid character"}""",
        "invalid_parameter", "body contains malformed input document: invalid character",
        "pdp: remote answered 400: invalid_parameter: body contains malformed input document: invalid character")]
    [InlineData(500, """{"code":"internal_error","message":"error(s) occurred while evaluating query","errors":[{"code":"eval_conflict_error","message":"complete rules must not produce multiple outputs","location":{"file":"a.rego","row":3,"col":1}}]}""",
        "internal_error", "error(s) occurred while evaluating query",
        "pdp: remote answered 500: internal_error: error(s) occurred while evaluating query (eval_conflict_error: complete rules must not produce multiple outputs)")]
    [InlineData(404, """{"code":"resource_not_found","message":"not found"}""",
        "resource_not_found", "not found", "pdp: remote answered 404: resource_not_found: not found")]
    [InlineData(502, "<html>bad gateway</html>", null, "body is not an OPA error: <html>bad gateway</html>",
        "pdp: remote answered 502: body is not an OPA error: <html>bad gateway</html>")]
    [InlineData(503, "", null, "empty body", "pdp: remote answered 503: empty body")]
    public async Task Error_status_maps_to_a_remote_exception(int status, string body, string? code, string reason, string message)
    {
        await using var server = await LoopbackServer.StartAsync(c => OpaDataApiServer.Write(c, status, body));
        var pdp = new RemotePolicyDecisionPoint(Http, server.BaseAddress, TimeSpan.FromSeconds(10));

        var e = await Assert.ThrowsAsync<RemotePolicyDecisionException>(() => pdp.DecideAsync(Allow, ObjectValue.Empty));

        Assert.Equal((HttpStatusCode)status, e.StatusCode);
        Assert.Equal(code, e.Code);
        Assert.Equal(reason, e.Reason);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("not json", "pdp: remote answered 200: response is not JSON: ")]
    [InlineData("[true]", "pdp: remote answered 200: response is a JSON array, not an object")]
    [InlineData("""{"result":true,"decision_id":7}""", "pdp: remote answered 200: decision_id is a number, not a string")]
    public async Task Malformed_success_is_refused(string body, string messageStart)
    {
        await using var server = await LoopbackServer.StartAsync(c => OpaDataApiServer.Write(c, 200, body));
        var pdp = new RemotePolicyDecisionPoint(Http, server.BaseAddress, TimeSpan.FromSeconds(10));

        var e = await Assert.ThrowsAsync<RemotePolicyDecisionException>(() => pdp.DecideAsync(Allow, ObjectValue.Empty));

        Assert.StartsWith(messageStart, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sends_the_input_to_the_data_api_path()
    {
        string? seen = null;
        await using var server = await LoopbackServer.StartAsync(async c =>
        {
            using var reader = new StreamReader(c.Request.Body);
            seen = $"{c.Request.Method} {c.Request.Path} {c.Request.ContentType} {await reader.ReadToEndAsync()}";
            await OpaDataApiServer.Write(c, 200, """{"result":true,"decision_id":"d-1"}""");
        });
        var pdp = new RemotePolicyDecisionPoint(Http, server.BaseAddress, TimeSpan.FromSeconds(10));

        var decision = await pdp.DecideAsync(Allow, Value.ParseJson("""{"user":"alice"}"""));

        Assert.Equal("""POST /v1/data/authz/allow application/json {"input":{"user":"alice"}}""", seen);
        Assert.Equal("d-1", decision.DecisionId);
        Assert.True(decision.IsAllowed);
    }

    [Fact]
    public async Task Undefined_has_no_result_key()
    {
        await using var server = await LoopbackServer.StartAsync(c => OpaDataApiServer.Write(c, 200, """{"decision_id":"d-2"}"""));
        var pdp = new RemotePolicyDecisionPoint(Http, server.BaseAddress, TimeSpan.FromSeconds(10));

        var decision = await pdp.DecideAsync(Allow, ObjectValue.Empty);

        Assert.Null(decision.Result);
        Assert.False(decision.IsAllowed);
        Assert.Equal("d-2", decision.DecisionId);
    }

    [Fact]
    public async Task Timeout_fails_closed()
    {
        await using var server = await LoopbackServer.StartAsync(async c =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            await OpaDataApiServer.Write(c, 200, """{"result":true}""");
        });
        var pdp = new RemotePolicyDecisionPoint(Http, server.BaseAddress, TimeSpan.FromMilliseconds(200));

        var e = await Assert.ThrowsAsync<PolicyDecisionPointUnavailableException>(() => pdp.DecideAsync(Allow, ObjectValue.Empty));

        Assert.Equal($"pdp: {server.BaseAddress}v1/data/authz/allow did not answer within 200 ms", e.Message);
    }

    [Fact]
    public async Task HttpClient_timeout_also_fails_closed()
    {
        await using var server = await LoopbackServer.StartAsync(async c =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(150) };
        var pdp = new RemotePolicyDecisionPoint(http, server.BaseAddress, TimeSpan.FromSeconds(10));

        var e = await Assert.ThrowsAsync<PolicyDecisionPointUnavailableException>(() => pdp.DecideAsync(Allow, ObjectValue.Empty));

        Assert.Equal($"pdp: {server.BaseAddress}v1/data/authz/allow did not answer within 150 ms", e.Message);
    }

    [Fact]
    public async Task Connection_refused_fails_closed()
    {
        var address = new Uri($"http://127.0.0.1:{LoopbackPorts.Next()}/");
        var pdp = new RemotePolicyDecisionPoint(Http, address, TimeSpan.FromSeconds(10));

        var e = await Assert.ThrowsAsync<PolicyDecisionPointUnavailableException>(() => pdp.DecideAsync(Allow, ObjectValue.Empty));

        Assert.StartsWith($"pdp: {address}v1/data/authz/allow unreachable: ", e.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(e.InnerException);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_a_timeout()
    {
        await using var server = await LoopbackServer.StartAsync(async c =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        var pdp = new RemotePolicyDecisionPoint(Http, server.BaseAddress, TimeSpan.FromSeconds(10));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pdp.DecideAsync(Allow, ObjectValue.Empty, cancel.Token));
    }
}
