using Envoy.Config.Core.V3;
using Grpc.Core;

namespace AgentFabric.PolicyServer.Tests.Envoy;

/// <summary>Check over real gRPC: boolean and object results mapped to CheckResponse as OPA-Envoy maps them.</summary>
public sealed class EnvoyCheckDecisionTests
{
    private const string BooleanPolicy = """
        package envoy.authz

        default allow := false

        allow if input.parsed_path[0] == "public"

        allow if startswith(input.attributes.source.principal, "spiffe://example.org/ns/prod/")
        """;

    [Theory]
    [InlineData("/public/docs", "", 0)]
    [InlineData("/private", "", 7)]
    [InlineData("/private", "spiffe://example.org/ns/prod/sa/frontend", 0)]
    [InlineData("/private", "spiffe://example.org/ns/dev/sa/frontend", 7)]
    [InlineData("/private", "spiffe://evil.org/ns/prod/sa/frontend", 7)]
    public async Task BooleanResult_MapsToStatusOnly(string path, string principal, int expectedCode)
    {
        await using var server = await EnvoyCheckServer.StartAsync(BooleanPolicy);

        var response = await server.Client.CheckAsync(EnvoyCheckServer.Request("GET", path, principal: principal));

        Assert.Equal(expectedCode, response.Status.Code);
        Assert.Null(response.OkResponse);
        Assert.Null(response.DeniedResponse);
    }

    [Fact]
    public async Task AllowedObject_FillsOkResponse()
    {
        await using var server = await EnvoyCheckServer.StartAsync("""
            package envoy.authz

            allow := {
              "allowed": true,
              "headers": {"x-ext-auth-allow": "yes", "x-multi": ["a", "b"]},
              "response_headers_to_add": {"x-resp": "r1"},
              "request_headers_to_remove": ["authorization"],
              "query_parameters_to_set": {"lang": "fr"},
              "query_parameters_to_remove": ["debug"],
              "dynamic_metadata": {"caller": input.attributes.source.principal, "n": 3},
              "body": "ignored when allowed",
            }
            """);

        var response = await server.Client.CheckAsync(EnvoyCheckServer.Request("GET", "/x", principal: "spiffe://example.org/a"));

        Assert.Equal(0, response.Status.Code);
        Assert.Null(response.DeniedResponse);
        var ok = response.OkResponse;
        Assert.Equal(["x-ext-auth-allow=yes", "x-multi=a", "x-multi=b"], Pairs(ok.Headers));
        Assert.Equal(["x-resp=r1"], Pairs(ok.ResponseHeadersToAdd));
        Assert.Equal(["authorization"], ok.HeadersToRemove);
        Assert.Equal(["lang=fr"], ok.QueryParametersToSet.Select(q => $"{q.Key}={q.Value}"));
        Assert.Equal(["debug"], ok.QueryParametersToRemove);
        Assert.Equal("spiffe://example.org/a", response.DynamicMetadata.Fields["caller"].StringValue);
        Assert.Equal(3d, response.DynamicMetadata.Fields["n"].NumberValue);
    }

    [Theory]
    [InlineData("""{"allowed": false}""", 403, "", new string[0])]
    [InlineData("""{"allowed": false, "http_status": 401, "body": "token required", "headers": {"www-authenticate": "Bearer"}}""", 401, "token required", new[] { "www-authenticate=Bearer" })]
    [InlineData("""{"allowed": false, "http_status": 429, "response_headers_to_add": {"x-ignored": "1"}}""", 429, "", new string[0])]
    public async Task DeniedObject_FillsDeniedResponse(string result, int expectedHttpStatus, string expectedBody, string[] expectedHeaders)
    {
        await using var server = await EnvoyCheckServer.StartAsync($"package envoy.authz\n\nallow := {result}\n");

        var response = await server.Client.CheckAsync(EnvoyCheckServer.Request("GET", "/x"));

        Assert.Equal(7, response.Status.Code);
        Assert.Null(response.OkResponse);
        Assert.Equal(expectedHttpStatus, (int)response.DeniedResponse.Status.Code);
        Assert.Equal(expectedBody, response.DeniedResponse.Body);
        Assert.Equal(expectedHeaders, Pairs(response.DeniedResponse.Headers));
    }

    [Fact]
    public async Task DecisionPath_IsConfigurable()
    {
        await using var server = await EnvoyCheckServer.StartAsync(
            "package agentfabric.gateway\n\nverdict := true\n",
            o => o.Path = "agentfabric/gateway/verdict");

        var response = await server.Client.CheckAsync(EnvoyCheckServer.Request("GET", "/x"));

        Assert.Equal(0, response.Status.Code);
    }

    [Theory]
    [InlineData("allow if false", StatusCode.Unknown, "envoy ext_authz: undefined decision: data.envoy.authz.allow has no value")]
    [InlineData("allow := \"yes\"", StatusCode.Unknown, "envoy ext_authz: illegal value for policy evaluation result: string")]
    [InlineData("allow := {\"headers\": {}}", StatusCode.Unknown, "envoy ext_authz: unable to determine evaluation result due to missing \"allowed\" key")]
    [InlineData("allow := {\"allowed\": \"true\"}", StatusCode.Unknown, "envoy ext_authz: expected \"allowed\" to be a boolean but got string")]
    [InlineData("allow := {\"allowed\": 1}", StatusCode.Unknown, "envoy ext_authz: expected \"allowed\" to be a boolean but got number")]
    [InlineData("allow := {\"allowed\": false, \"http_status\": 999}", StatusCode.Unknown, "envoy ext_authz: invalid HTTP status code 999")]
    [InlineData("allow := {\"allowed\": false, \"http_status\": \"401\"}", StatusCode.Unknown, "envoy ext_authz: expected \"http_status\" to be a number but got string")]
    [InlineData("allow := {\"allowed\": false, \"body\": 1}", StatusCode.Unknown, "envoy ext_authz: expected \"body\" to be a string but got number")]
    [InlineData("allow := {\"allowed\": true, \"headers\": {\"x\": 1}}", StatusCode.Unknown, "envoy ext_authz: expected \"headers.x\" to be a string or an array of strings but got number")]
    [InlineData("allow := {\"allowed\": true, \"headers\": \"x\"}", StatusCode.Unknown, "envoy ext_authz: expected \"headers\" to be an object but got string")]
    [InlineData("allow := {\"allowed\": true, \"request_headers_to_remove\": [1]}", StatusCode.Unknown, "envoy ext_authz: expected \"request_headers_to_remove\" to hold strings but it holds a number")]
    [InlineData("allow := {\"allowed\": true, \"dynamic_metadata\": [1]}", StatusCode.Unknown, "envoy ext_authz: expected \"dynamic_metadata\" to be an object but got array")]
    public async Task NoUsableDecision_IsAnError_NeverAnAllow(string rule, StatusCode expectedCode, string expectedMessage)
    {
        await using var server = await EnvoyCheckServer.StartAsync($"package envoy.authz\n\n{rule}\n");

        var e = await Assert.ThrowsAsync<RpcException>(() => server.Client.CheckAsync(EnvoyCheckServer.Request("GET", "/x")).ResponseAsync);

        Assert.Equal(expectedCode, e.StatusCode);
        Assert.Equal(expectedMessage, e.Status.Detail);
    }

    [Fact]
    public async Task EvaluationError_IsAnError()
    {
        await using var server = await EnvoyCheckServer.StartAsync("""
            package envoy.authz

            allow := true if input.attributes.request.http.method == "GET"

            allow := false if input.parsed_path[0] == "x"
            """);

        var e = await Assert.ThrowsAsync<RpcException>(() => server.Client.CheckAsync(EnvoyCheckServer.Request("GET", "/x")).ResponseAsync);

        Assert.Equal(StatusCode.Unknown, e.StatusCode);
        Assert.StartsWith("pdp: evaluating data.envoy.authz.allow: ", e.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/a%zz", "", "", "envoy ext_authz: parsing path \"/a%zz\": invalid URL escape")]
    [InlineData("/x", "application/json", "{not json", "envoy ext_authz: request body is not JSON: ")]
    [InlineData("/x", "application/x-www-form-urlencoded", "a=%zz", "envoy ext_authz: request body is not valid application/x-www-form-urlencoded")]
    public async Task UnrepresentableRequest_IsInvalidArgument(string path, string contentType, string body, string expectedMessagePrefix)
    {
        await using var server = await EnvoyCheckServer.StartAsync("package envoy.authz\n\nallow := true\n");
        var headers = contentType.Length == 0 ? null : new Dictionary<string, string> { ["content-type"] = contentType };

        var e = await Assert.ThrowsAsync<RpcException>(() => server.Client.CheckAsync(EnvoyCheckServer.Request("POST", path, headers, body)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith(expectedMessagePrefix, e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyOverTheParseLimit_IsInvalidArgument()
    {
        await using var server = await EnvoyCheckServer.StartAsync("package envoy.authz\n\nallow := true\n", o => o.MaxParsedBodyBytes = 8);
        var headers = new Dictionary<string, string> { ["content-type"] = "application/json" };

        var e = await Assert.ThrowsAsync<RpcException>(() => server.Client.CheckAsync(EnvoyCheckServer.Request("POST", "/x", headers, """{"a": 12345}""")).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("envoy ext_authz: request body of 12 bytes exceeds the 8-byte parse limit", e.Status.Detail);
    }

    private static string[] Pairs(IEnumerable<HeaderValueOption> options) =>
        options.Select(o => $"{o.Header.Key}={o.Header.Value}").ToArray();
}
