using ResearchAgents.Providers.Rest;
using ResearchAgents.Providers.Tests.Infrastructure;

namespace ResearchAgents.Providers.Tests;

/// <summary>Tavily's search API as documented (docs.tavily.com, API reference, Search; its error bodies as its own
/// client reads them: <c>detail.error</c>), served on 127.0.0.1.</summary>
public sealed class TavilySearchProviderTests
{
    private const string Key = "tvly-test-0123456789";

    private const string TwoResults = """
        {
          "query": "what is SPIFFE?",
          "answer": null,
          "images": [],
          "results": [
            {"title": "SPIFFE overview", "url": "https://spiffe.io/docs/latest/spiffe-about/overview/", "content": "SPIFFE is a set of standards.", "score": 0.91, "raw_content": null},
            {"title": "", "url": "https://github.com/spiffe/spire", "content": "SPIRE implements SPIFFE.", "score": 0.77, "raw_content": null}
          ],
          "response_time": "1.67"
        }
        """;

    internal static TavilySearchProvider Provider(ApiServer server, TimeProvider? time = null, string key = Key) =>
        new(new HttpClient(), new TavilySearchSettings { ApiKey = key, BaseAddress = server.BaseAddress }, time);

    [Fact]
    public async Task Sends_the_documented_request()
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(TwoResults));

        await Provider(server).SearchAsync("what is SPIFFE?", 5, CancellationToken.None);

        var request = server.SingleRequest;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/search", request.Path);
        Assert.Equal("", request.Query);
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        JsonAssert.Equal("""
            {"query":"what is SPIFFE?","max_results":5,"search_depth":"basic","topic":"general",
             "include_answer":false,"include_raw_content":false,"include_images":false}
            """, request.Body);
        Assert.DoesNotContain(Key, request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parses_the_results_in_order_and_names_an_untitled_one_by_its_host()
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(TwoResults));

        var results = await Provider(server).SearchAsync("what is SPIFFE?", 5, CancellationToken.None);

        Assert.Equal(
            [
                new SearchResult("SPIFFE overview", new Uri("https://spiffe.io/docs/latest/spiffe-about/overview/"), "SPIFFE is a set of standards."),
                new SearchResult("github.com", new Uri("https://github.com/spiffe/spire"), "SPIRE implements SPIFFE."),
            ],
            results);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 2, 2)]
    [InlineData(50, 20, 2)] // Tavily's documented ceiling is 20 per request
    public async Task Asks_for_at_most_20_and_returns_at_most_max_results(int maxResults, int sentMaxResults, int returned)
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(TwoResults));

        var results = await Provider(server).SearchAsync("q", maxResults, CancellationToken.None);

        Assert.Contains($"\"max_results\":{sentMaxResults},", server.SingleRequest.Body, StringComparison.Ordinal);
        Assert.Equal(returned, results.Count);
    }

    [Fact]
    public async Task An_empty_result_list_is_an_answer()
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json("""{"query":"q","results":[],"response_time":0.5}"""));

        Assert.Empty(await Provider(server).SearchAsync("q", 3, CancellationToken.None));
    }

    [Theory]
    [InlineData(401, """{"detail":{"error":"Unauthorized: missing or invalid API key."}}""", "tavily: HTTP 401: Unauthorized: missing or invalid API key.")]
    [InlineData(432, """{"detail":{"error":"This request exceeds your plan's set usage limit. Please upgrade your plan or contact support@tavily.com"}}""",
        "tavily: HTTP 432: This request exceeds your plan's set usage limit. Please upgrade your plan or contact support@tavily.com")]
    [InlineData(429, """{"detail":{"error":"Your request has been blocked due to excessive requests. Please reduce rate of requests."}}""",
        "tavily: HTTP 429: Your request has been blocked due to excessive requests. Please reduce rate of requests.")]
    [InlineData(400, """{"detail":"Invalid topic. Must be 'general' or 'news'."}""", "tavily: HTTP 400: Invalid topic. Must be 'general' or 'news'.")]
    [InlineData(422, """{"detail":[{"loc":["body","query"],"msg":"Field required","type":"missing"},{"loc":["body","max_results"],"msg":"Input should be a valid integer","type":"int_parsing"}]}""",
        "tavily: HTTP 422: Field required; Input should be a valid integer")]
    [InlineData(500, """{"detail":{}}""", "tavily: HTTP 500")]
    [InlineData(503, "", "tavily: HTTP 503")]
    [InlineData(401, """{"detail":{"error":"The key tvly-test-0123456789 is revoked."}}""", "tavily: HTTP 401: The key [redacted] is revoked.")]
    public async Task An_HTTP_error_names_the_status_and_Tavilys_message(int status, string body, string expected)
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(body, status));

        var failure = await Assert.ThrowsAsync<ProviderException>(() => Provider(server).SearchAsync("q", 3, CancellationToken.None));

        Assert.Equal(expected, failure.Message);
    }

    [Fact]
    public async Task A_plain_text_error_from_a_proxy_is_quoted()
    {
        await using var server = await ApiServer.StartAsync(new ApiReply(502, "upstream connect error", "text/plain"));

        var failure = await Assert.ThrowsAsync<ProviderException>(() => Provider(server).SearchAsync("q", 3, CancellationToken.None));

        Assert.Equal("tavily: HTTP 502: upstream connect error", failure.Message);
    }

    [Fact]
    public async Task An_overlong_API_message_is_cut_at_500_characters()
    {
        string message = new string('m', 499) + "XYZ";
        await using var server = await ApiServer.StartAsync(ApiReply.Json($$$"""{"detail":{"error":"{{{message}}}"}}""", 400));

        var failure = await Assert.ThrowsAsync<ProviderException>(() => Provider(server).SearchAsync("q", 3, CancellationToken.None));

        Assert.Equal("tavily: HTTP 400: " + new string('m', 499) + "X…", failure.Message);
    }

    [Theory]
    [InlineData("", "tavily: malformed response: the body is empty")]
    [InlineData("<html>ok</html>", "tavily: malformed response: the body is not JSON")]
    [InlineData("[]", "tavily: malformed response: the body is not a JSON object")]
    [InlineData("{}", "tavily: malformed response: no \"results\" array")]
    [InlineData("""{"results":{}}""", "tavily: malformed response: no \"results\" array")]
    [InlineData("""{"results":["x"]}""", "tavily: malformed response: results[0] is not an object")]
    [InlineData("""{"results":[{"title":"t","content":"c"}]}""", "tavily: malformed response: results[0].url is missing")]
    [InlineData("""{"results":[{"title":"t","url":null,"content":"c"}]}""", "tavily: malformed response: results[0].url is missing")]
    [InlineData("""{"results":[{"title":"t","url":"https://a.example/","content":"c"},{"title":"t","url":"ftp://b.example/x","content":"c"}]}""",
        "tavily: malformed response: results[1].url is not an absolute http(s) URL")]
    [InlineData("""{"results":[{"title":"t","url":"/relative","content":"c"}]}""", "tavily: malformed response: results[0].url is not an absolute http(s) URL")]
    [InlineData("""{"results":[{"title":7,"url":"https://a.example/","content":"c"}]}""", "tavily: malformed response: results[0].title is not a string")]
    [InlineData("""{"results":[{"title":"t","url":"https://a.example/"}]}""", "tavily: malformed response: results[0].content is missing")]
    public async Task A_success_outside_the_documented_format_is_malformed(string body, string expected)
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(body));

        var failure = await Assert.ThrowsAsync<ProviderException>(() => Provider(server).SearchAsync("q", 3, CancellationToken.None));

        Assert.Equal(expected, failure.Message);
    }

    [Theory]
    [InlineData("", 3)]
    [InlineData("  ", 3)]
    public async Task An_empty_query_is_the_callers_bug(string query, int maxResults)
    {
        await using var server = await ApiServer.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => Provider(server).SearchAsync(query, maxResults, CancellationToken.None));
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Fewer_than_one_result_is_the_callers_bug(int maxResults)
    {
        await using var server = await ApiServer.StartAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Provider(server).SearchAsync("q", maxResults, CancellationToken.None));
        Assert.Empty(server.Requests);
    }
}
