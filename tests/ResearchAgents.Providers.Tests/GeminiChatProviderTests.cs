using ResearchAgents.Providers.Rest;
using ResearchAgents.Providers.Tests.Infrastructure;

namespace ResearchAgents.Providers.Tests;

/// <summary>Google's Generative Language API, <c>models.generateContent</c>, as documented (ai.google.dev, Gemini API
/// reference: GenerateContentResponse, Candidate.FinishReason, PromptFeedback.BlockReason, error JSON), on 127.0.0.1.</summary>
public sealed class GeminiChatProviderTests
{
    private const string Key = "AIzaTest-0123456789";

    private const string Answer = """
        {
          "candidates": [
            {
              "content": {"parts": [{"text": "SPIFFE gives each workload "}, {"text": "a verifiable identity."}], "role": "model"},
              "finishReason": "STOP",
              "index": 0
            }
          ],
          "usageMetadata": {"promptTokenCount": 12, "candidatesTokenCount": 9, "totalTokenCount": 21},
          "modelVersion": "gemini-3.5-flash"
        }
        """;

    internal static GeminiChatProvider Provider(ApiServer server, string model = GeminiChatSettings.DefaultModel, TimeProvider? time = null) =>
        new(new HttpClient(), new GeminiChatSettings { ApiKey = Key, Model = model, BaseAddress = server.BaseAddress }, time);

    [Fact]
    public async Task Sends_the_documented_request_with_the_key_in_a_header()
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(Answer));

        await Provider(server).CompleteAsync("You are a concise writer.", "Summarise SPIFFE.", CancellationToken.None);

        var request = server.SingleRequest;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1beta/models/gemini-3.5-flash:generateContent", request.Path);
        Assert.Equal("", request.Query); // never ?key=: URLs end up in logs
        Assert.Equal(Key, request.Headers["x-goog-api-key"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        JsonAssert.Equal("""
            {"contents":[{"role":"user","parts":[{"text":"Summarise SPIFFE."}]}],
             "systemInstruction":{"parts":[{"text":"You are a concise writer."}]}}
            """, request.Body);
    }

    [Fact]
    public async Task Leaves_out_an_empty_system_instruction()
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(Answer));

        await Provider(server).CompleteAsync("", "Summarise SPIFFE.", CancellationToken.None);

        JsonAssert.Equal("""{"contents":[{"role":"user","parts":[{"text":"Summarise SPIFFE."}]}]}""", server.SingleRequest.Body);
    }

    [Theory]
    [InlineData("gemini-3.5-flash", "/v1beta/models/gemini-3.5-flash:generateContent")]
    [InlineData("models/gemini-2.5-flash", "/v1beta/models/gemini-2.5-flash:generateContent")]
    [InlineData("gemini-flash-latest", "/v1beta/models/gemini-flash-latest:generateContent")]
    public async Task Puts_the_model_code_in_the_path(string model, string path)
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(Answer));

        await Provider(server, model).CompleteAsync("s", "u", CancellationToken.None);

        Assert.Equal(path, server.SingleRequest.Path);
    }

    [Theory]
    [InlineData(Answer, "SPIFFE gives each workload a verifiable identity.")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"Planning the summary.","thought":true},{"text":"  The answer.\n"}]},"finishReason":"STOP"}]}""", "The answer.")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"Cut short"}]},"finishReason":"MAX_TOKENS"}]}""", "Cut short")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"No reason given"}]}}]}""", "No reason given")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"First"}]},"finishReason":"STOP"},{"content":{"parts":[{"text":"Second"}]},"finishReason":"STOP"}]}""", "First")]
    public async Task Answers_with_the_text_of_the_first_candidate(string body, string expected)
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(body));

        Assert.Equal(expected, await Provider(server).CompleteAsync("s", "u", CancellationToken.None));
    }

    [Theory]
    [InlineData(400, """{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}""",
        "gemini: HTTP 400 INVALID_ARGUMENT: API key not valid. Please pass a valid API key.")]
    [InlineData(404, """{"error":{"code":404,"message":"models/gemini-0-flash is not found for API version v1beta, or is not supported for generateContent.","status":"NOT_FOUND"}}""",
        "gemini: HTTP 404 NOT_FOUND: models/gemini-0-flash is not found for API version v1beta, or is not supported for generateContent.")]
    [InlineData(429, """{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}""",
        "gemini: HTTP 429 RESOURCE_EXHAUSTED: Resource has been exhausted (e.g. check quota).")]
    [InlineData(503, """[{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}]""",
        "gemini: HTTP 503 UNAVAILABLE: The model is overloaded. Please try again later.")]
    [InlineData(500, """{"error":{"code":500,"message":"Internal error encountered."}}""", "gemini: HTTP 500: Internal error encountered.")]
    [InlineData(502, "<html><body>Bad Gateway</body></html>", "gemini: HTTP 502")]
    [InlineData(400, """{"error":{"code":400,"message":"API key AIzaTest-0123456789 not valid.","status":"INVALID_ARGUMENT"}}""",
        "gemini: HTTP 400 INVALID_ARGUMENT: API key [redacted] not valid.")]
    public async Task An_HTTP_error_names_the_status_and_Googles_message(int status, string body, string expected)
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(body, status));

        var failure = await Assert.ThrowsAsync<ProviderException>(() => Provider(server).CompleteAsync("s", "u", CancellationToken.None));

        Assert.Equal(expected, failure.Message);
    }

    [Theory]
    [InlineData("""{"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[]}}""", "gemini: the prompt was blocked (blockReason SAFETY)")]
    [InlineData("""{"candidates":[],"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"}}""", "gemini: the prompt was blocked (blockReason PROHIBITED_CONTENT)")]
    [InlineData("""{"candidates":[{"finishReason":"SAFETY","index":0,"safetyRatings":[]}]}""", "gemini: the answer was blocked (finishReason SAFETY)")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"partial"}]},"finishReason":"RECITATION"}]}""", "gemini: the answer was blocked (finishReason RECITATION)")]
    [InlineData("""{"candidates":[{"finishReason":"SPII"}]}""", "gemini: the answer was blocked (finishReason SPII)")]
    [InlineData("""{"candidates":[{"finishReason":"BLOCKLIST"}]}""", "gemini: the answer was blocked (finishReason BLOCKLIST)")]
    [InlineData("""{"candidates":[{"finishReason":"OTHER"}]}""", "gemini: the model stopped without an answer (finishReason OTHER)")]
    [InlineData("""{"candidates":[{"finishReason":"MALFORMED_FUNCTION_CALL"}]}""", "gemini: the model stopped without an answer (finishReason MALFORMED_FUNCTION_CALL)")]
    public async Task A_blocked_prompt_or_answer_names_Googles_reason(string body, string expected)
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(body));

        var failure = await Assert.ThrowsAsync<ProviderException>(() => Provider(server).CompleteAsync("s", "u", CancellationToken.None));

        Assert.Equal(expected, failure.Message);
    }

    [Theory]
    [InlineData("", "gemini: malformed response: the body is empty")]
    [InlineData("not json", "gemini: malformed response: the body is not JSON")]
    [InlineData("\"text\"", "gemini: malformed response: the body is not a JSON object")]
    [InlineData("{}", "gemini: empty response: no candidates")]
    [InlineData("""{"candidates":[7]}""", "gemini: malformed response: candidates[0] is not an object")]
    [InlineData("""{"candidates":[{"content":{"parts":[]},"finishReason":"STOP"}]}""", "gemini: empty response: candidates[0] has no text (finishReason STOP)")]
    [InlineData("""{"candidates":[{"content":{"role":"model"},"finishReason":"MAX_TOKENS"}]}""", "gemini: empty response: candidates[0] has no text (finishReason MAX_TOKENS)")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"   "}]}}]}""", "gemini: empty response: candidates[0] has no text")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"thinking","thought":true}]},"finishReason":"STOP"}]}""", "gemini: empty response: candidates[0] has no text (finishReason STOP)")]
    [InlineData("""{"candidates":[{"content":{"parts":{"text":"x"}}}]}""", "gemini: malformed response: candidates[0].content.parts is not an array")]
    [InlineData("""{"candidates":[{"content":{"parts":["x"]}}]}""", "gemini: malformed response: candidates[0].content.parts[0] is not an object")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"a"},{"text":1}]}}]}""", "gemini: malformed response: candidates[0].content.parts[1].text is not a string")]
    public async Task A_success_outside_the_documented_format_is_empty_or_malformed(string body, string expected)
    {
        await using var server = await ApiServer.StartAsync(ApiReply.Json(body));

        var failure = await Assert.ThrowsAsync<ProviderException>(() => Provider(server).CompleteAsync("s", "u", CancellationToken.None));

        Assert.Equal(expected, failure.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task An_empty_user_prompt_is_the_callers_bug(string userPrompt)
    {
        await using var server = await ApiServer.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => Provider(server).CompleteAsync("s", userPrompt, CancellationToken.None));
        Assert.Empty(server.Requests);
    }
}
