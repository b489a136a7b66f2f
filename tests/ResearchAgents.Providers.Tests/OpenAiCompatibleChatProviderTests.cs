using ResearchAgents.Providers.Rest;
using ResearchAgents.Providers.Tests.Infrastructure;

namespace ResearchAgents.Providers.Tests;

/// <summary>The OpenAI chat completions API as documented (API reference: Chat Completions, error codes) and as
/// Ollama's OpenAI compatibility serves it, on 127.0.0.1.</summary>
public sealed class OpenAiCompatibleChatProviderTests
{
    private const string Key = "sk-test-0123456789";

    private const string Answer = """
        {
          "id": "chatcmpl-123",
          "object": "chat.completion",
          "created": 1733443200,
          "model": "llama3.2",
          "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "SPIFFE names workloads."}, "finish_reason": "stop"}
          ],
          "usage": {"prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25}
        }
        """;

    internal static OpenAiCompatibleChatProvider Provider(ApiServer server, string? key = Key, string path = "v1", TimeProvider? time = null) =>
        new(new HttpClient(), new OpenAiCompatibleChatSettings { BaseAddress = new Uri(server.BaseAddress, path), Model = "llama3.2", ApiKey = key }, time);

    [Fact]
    public async Task Sends_the_documented_request_with_a_bearer_key()
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(Answer));

        await Provider(server).CompleteAsync("You are a concise writer.", "Summarise SPIFFE.", CancellationToken.None);

        var request = server.SingleRequest;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        JsonAssert.Equal("""
            {"model":"llama3.2","stream":false,"messages":[
              {"role":"system","content":"You are a concise writer."},
              {"role":"user","content":"Summarise SPIFFE."}]}
            """, request.Body);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Sends_no_authorization_without_a_key_as_Ollama_needs_none(string? key)
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(Answer));

        await Provider(server, key).CompleteAsync("", "Summarise SPIFFE.", CancellationToken.None);

        Assert.False(server.SingleRequest.Headers.ContainsKey("Authorization"));
        JsonAssert.Equal("""{"model":"llama3.2","stream":false,"messages":[{"role":"user","content":"Summarise SPIFFE."}]}""", server.SingleRequest.Body);
    }

    [Theory]
    [InlineData("v1", "/v1/chat/completions")]
    [InlineData("v1/", "/v1/chat/completions")]
    [InlineData("api/openai/v1", "/api/openai/v1/chat/completions")]
    [InlineData("", "/chat/completions")]
    public async Task Appends_chat_completions_to_the_base_path(string basePath, string path)
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(Answer));

        await Provider(server, path: basePath).CompleteAsync("s", "u", CancellationToken.None);

        Assert.Equal(path, server.SingleRequest.Path);
    }

    [Theory]
    [InlineData(Answer, "SPIFFE names workloads.")]
    [InlineData("""{"choices":[{"index":0,"message":{"role":"assistant","content":"The answer.","reasoning":"Let me think."},"finish_reason":"stop"}]}""", "The answer.")]
    [InlineData("""{"choices":[{"index":0,"message":{"role":"assistant","content":"  Cut short"},"finish_reason":"length"}]}""", "Cut short")]
    [InlineData("""{"choices":[{"message":{"role":"assistant","content":[{"type":"text","text":"Part one, "},{"type":"image_url","image_url":{}},{"type":"text","text":"part two."}]}}]}""", "Part one, part two.")]
    [InlineData("""{"choices":[{"message":{"content":"A","refusal":null},"finish_reason":"stop"},{"message":{"content":"B"}}]}""", "A")]
    public async Task Answers_with_the_first_choices_content(string body, string expected)
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(body));

        Assert.Equal(expected, await Provider(server).CompleteAsync("s", "u", CancellationToken.None));
    }

    [Theory]
    [InlineData(401, """{"error":{"message":"Incorrect API key provided: sk-test-***6789. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""",
        "openai-compatible: HTTP 401 invalid_api_key: Incorrect API key provided: sk-test-***6789. You can find your API key at https://platform.openai.com/account/api-keys.")]
    [InlineData(429, """{"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}""",
        "openai-compatible: HTTP 429 rate_limit_exceeded: Rate limit reached for requests")]
    [InlineData(404, """{"error":{"message":"model \"llama3.2\" not found, try pulling it first","type":"not_found_error","param":null,"code":null}}""",
        "openai-compatible: HTTP 404 not_found_error: model \"llama3.2\" not found, try pulling it first")]
    [InlineData(500, """{"error":{"message":"llama runner process has terminated: exit status 2","type":"api_error","param":null,"code":null}}""",
        "openai-compatible: HTTP 500 api_error: llama runner process has terminated: exit status 2")]
    [InlineData(400, """{"error":{"message":"bad request","type":"invalid_request_error","code":400}}""", "openai-compatible: HTTP 400 invalid_request_error: bad request")]
    [InlineData(500, """{"error":"llama runner process has terminated"}""", "openai-compatible: HTTP 500: llama runner process has terminated")]
    [InlineData(500, """{"error":{}}""", "openai-compatible: HTTP 500")]
    [InlineData(401, """{"error":{"message":"key sk-test-0123456789 is unknown","type":"invalid_request_error"}}""",
        "openai-compatible: HTTP 401 invalid_request_error: key [redacted] is unknown")]
    public async Task An_HTTP_error_names_the_status_code_and_the_servers_message(int status, string body, string expected)
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(body, status));

        var failure = await Assert.ThrowsAsync<ProviderException>(() => Provider(server).CompleteAsync("s", "u", CancellationToken.None));

        Assert.Equal(expected, failure.Message);
    }

    [Fact]
    public async Task A_plain_text_404_from_a_wrong_base_path_is_quoted()
    {
        await using var server = await ApiServer.StartAsync(new ApiReply(404, "404 page not found", "text/plain"));

        var failure = await Assert.ThrowsAsync<ProviderException>(() => Provider(server).CompleteAsync("s", "u", CancellationToken.None));

        Assert.Equal("openai-compatible: HTTP 404: 404 page not found", failure.Message);
    }

    [Theory]
    [InlineData("""{"choices":[{"message":{"role":"assistant","content":null},"finish_reason":"content_filter"}]}""", "openai-compatible: the answer was blocked (finish_reason content_filter)")]
    [InlineData("""{"choices":[{"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"finish_reason":"stop"}]}""", "openai-compatible: the model refused: I can't help with that.")]
    [InlineData("", "openai-compatible: malformed response: the body is empty")]
    [InlineData("data: {}", "openai-compatible: malformed response: the body is not JSON")]
    [InlineData("[1]", "openai-compatible: malformed response: the body is not a JSON object")]
    [InlineData("{}", "openai-compatible: malformed response: no \"choices\" array")]
    [InlineData("""{"choices":[]}""", "openai-compatible: empty response: no choices")]
    [InlineData("""{"choices":[null]}""", "openai-compatible: malformed response: choices[0] is not an object")]
    [InlineData("""{"choices":[{"finish_reason":"stop"}]}""", "openai-compatible: malformed response: choices[0].message is missing")]
    [InlineData("""{"choices":[{"message":{"role":"assistant","content":null},"finish_reason":"stop"}]}""", "openai-compatible: empty response: choices[0].message.content is empty (finish_reason stop)")]
    [InlineData("""{"choices":[{"message":{"role":"assistant","content":""},"finish_reason":"length"}]}""", "openai-compatible: empty response: choices[0].message.content is empty (finish_reason length)")]
    [InlineData("""{"choices":[{"message":{"role":"assistant"}}]}""", "openai-compatible: empty response: choices[0].message.content is empty")]
    [InlineData("""{"choices":[{"message":{"content":42}}]}""", "openai-compatible: malformed response: choices[0].message.content is neither a string nor an array of parts")]
    public async Task A_blocked_refused_empty_or_malformed_answer_is_a_failure(string body, string expected)
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(body));

        var failure = await Assert.ThrowsAsync<ProviderException>(() => Provider(server).CompleteAsync("s", "u", CancellationToken.None));

        Assert.Equal(expected, failure.Message);
    }
}
