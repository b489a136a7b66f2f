namespace AgentFabric.PolicyServer.Tests.Envoy;

/// <summary>The input document the policy sees, echoed back by the policy through response headers.</summary>
public sealed class EnvoyCheckInputTests
{
    private const string EchoPolicy = """
        package envoy.authz

        allow := {
          "allowed": true,
          "headers": {
            "x-path": json.marshal(input.parsed_path),
            "x-query": json.marshal(input.parsed_query),
            "x-body": json.marshal(object.get(input, "parsed_body", "absent")),
            "x-truncated": json.marshal(object.get(input, "truncated_body", "absent")),
            "x-version": json.marshal(input.version),
            "x-source": json.marshal(input.attributes.source),
            "x-method": input.attributes.request.http.method,
          },
        }
        """;

    [Theory]
    [InlineData("/", "[\"\"]", "{}")]
    [InlineData("/people", "[\"people\"]", "{}")]
    [InlineData("//people/", "[\"people\",\"\"]", "{}")]
    [InlineData("/a%20b/c%2Fd?x", "[\"a b\",\"c\",\"d\"]", "{\"x\":[\"\"]}")]
    [InlineData("/people?lang=en&id=1&id=2", "[\"people\"]", "{\"id\":[\"1\",\"2\"],\"lang\":[\"en\"]}")]
    [InlineData("/q?name=J%C3%BCrgen+M&bad=%zz&semi=a;b&&#frag", "[\"q\"]", "{\"name\":[\"Jürgen M\"]}")]
    [InlineData("/p+q?a+b=c%2Bd", "[\"p+q\"]", "{\"a b\":[\"c+d\"]}")]
    public async Task ParsedPathAndQuery(string path, string expectedPath, string expectedQuery)
    {
        await using var server = await EnvoyCheckServer.StartAsync(EchoPolicy);

        var echoed = await Echo(server, path, null, "");

        Assert.Equal(expectedPath, echoed["x-path"]);
        Assert.Equal(expectedQuery, echoed["x-query"]);
        Assert.Equal("{\"encoding\":\"protojson\",\"ext_authz\":\"v3\"}", echoed["x-version"]);
        Assert.Equal("GET", echoed["x-method"]);
    }

    [Theory]
    [InlineData("application/json", null, "{\"firstname\":\"Charlie\",\"n\":[1,2.5]}", "{\"firstname\":\"Charlie\",\"n\":[1,2.5]}", "false")]
    [InlineData("application/json; charset=utf-8", "41", "{\"firstname\":\"Charlie\"}", "null", "true")]
    [InlineData("application/json", "22", "{\"firstname\":\"Charlie\"}", "{\"firstname\":\"Charlie\"}", "false")]
    [InlineData("application/x-www-form-urlencoded", null, "a=1&b=x+y&a=2", "{\"a\":[\"1\",\"2\"],\"b\":[\"x y\"]}", "false")]
    [InlineData("text/plain", null, "{\"a\":1}", "null", "false")]
    [InlineData(null, null, "{\"a\":1}", "null", "false")]
    [InlineData("application/json", null, "", "null", "false")]
    public async Task ParsedBody(string? contentType, string? contentLength, string body, string expectedBody, string expectedTruncated)
    {
        await using var server = await EnvoyCheckServer.StartAsync(EchoPolicy);
        var headers = new Dictionary<string, string>();
        if (contentType is not null)
        {
            headers["content-type"] = contentType;
        }

        if (contentLength is not null)
        {
            headers["content-length"] = contentLength;
        }

        var echoed = await Echo(server, "/people", headers, body);

        Assert.Equal(expectedBody, echoed["x-body"]);
        Assert.Equal(expectedTruncated, echoed["x-truncated"]);
    }

    [Fact]
    public async Task SkipRequestBodyParse_LeavesBodyFieldsOut()
    {
        await using var server = await EnvoyCheckServer.StartAsync(EchoPolicy, o => o.SkipRequestBodyParse = true);

        var echoed = await Echo(server, "/people", new Dictionary<string, string> { ["content-type"] = "application/json" }, "{not json");

        Assert.Equal("\"absent\"", echoed["x-body"]);
        Assert.Equal("\"absent\"", echoed["x-truncated"]);
    }

    [Fact]
    public async Task Attributes_UseProtobufJsonNames()
    {
        await using var server = await EnvoyCheckServer.StartAsync(EchoPolicy);
        var request = EnvoyCheckServer.Request("GET", "/", principal: "spiffe://example.org/ns/prod/sa/frontend");
        request.Attributes.Source.Address = new global::Envoy.Config.Core.V3.Address
        {
            SocketAddress = new global::Envoy.Config.Core.V3.SocketAddress { Address = "10.0.0.7", PortValue = 61402 },
        };

        var response = await server.Client.CheckAsync(request);

        Assert.Equal(
            "{\"address\":{\"socketAddress\":{\"address\":\"10.0.0.7\",\"portValue\":61402}},\"principal\":\"spiffe://example.org/ns/prod/sa/frontend\"}",
            response.OkResponse.Headers.Single(h => h.Header.Key == "x-source").Header.Value);
    }

    private static async Task<Dictionary<string, string>> Echo(EnvoyCheckServer server, string path, Dictionary<string, string>? headers, string body)
    {
        var response = await server.Client.CheckAsync(EnvoyCheckServer.Request("GET", path, headers, body));
        Assert.Equal(0, response.Status.Code);
        return response.OkResponse.Headers.ToDictionary(h => h.Header.Key, h => h.Header.Value, StringComparer.Ordinal);
    }
}
