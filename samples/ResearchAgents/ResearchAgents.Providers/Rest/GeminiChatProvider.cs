using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ResearchAgents.Providers.Rest;

/// <summary>
/// Chat through Google's Generative Language REST API, method <c>models.generateContent</c>:
/// <c>POST {base}/v1beta/models/{model}:generateContent</c> with the <c>x-goog-api-key</c> header, a
/// <c>systemInstruction</c> and one user turn in <c>contents[].parts[].text</c>; the answer is the text of
/// <c>candidates[0].content.parts[]</c>. Errors carry <c>{"error":{"code","message","status"}}</c>; a blocked prompt
/// has no candidates and a <c>promptFeedback.blockReason</c>; a blocked answer a <c>finishReason</c> such as SAFETY
/// (ai.google.dev, Gemini API reference: Generating content, GenerateContentResponse, FinishReason, BlockReason).
/// </summary>
public sealed class GeminiChatProvider : IChatProvider
{
    /// <summary>Finish reasons after which the candidate is not a usable answer because a filter stopped it.</summary>
    private static readonly HashSet<string> s_blockedFinishReasons =
        ["SAFETY", "RECITATION", "LANGUAGE", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"];

    /// <summary>Finish reasons of a complete (or merely length-capped) answer.</summary>
    private static readonly HashSet<string> s_answeredFinishReasons = ["STOP", "MAX_TOKENS", "FINISH_REASON_UNSPECIFIED"];

    private readonly Uri _generateUri;
    private readonly string _apiKey;
    private readonly ProviderHttpExchange _exchange;

    /// <exception cref="ArgumentException">A setting is invalid (empty key or model, base address not absolute http(s), …).</exception>
    public GeminiChatProvider(HttpClient httpClient, GeminiChatSettings settings, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(settings);
        ThrowIfInvalid(settings);
        _generateUri = new Uri(EndpointRules.WithTrailingSlash(settings.BaseAddress), $"v1beta/models/{ModelCode(settings.Model)}:generateContent");
        _apiKey = settings.ApiKey;
        _exchange = new ProviderHttpExchange(Name, httpClient, settings.Timeout, timeProvider ?? TimeProvider.System, settings.ApiKey);
    }

    /// <summary>The settings checks, also run by <see cref="RestProviderServiceCollectionExtensions"/> at registration.</summary>
    internal static void ThrowIfInvalid(GeminiChatSettings settings)
    {
        EndpointRules.ThrowIfInvalid(EndpointRules.CheckApiKey(settings.ApiKey), nameof(settings), "ApiKey");
        string model = ModelCode(settings.Model);
        EndpointRules.ThrowIfInvalid(EndpointRules.CheckModel(model, inUrlPath: true), nameof(settings), "Model");
        EndpointRules.ThrowIfInvalid(EndpointRules.CheckBaseAddress(settings.BaseAddress, sendsKey: true), nameof(settings), "BaseAddress");
        EndpointRules.ThrowIfInvalid(EndpointRules.CheckTimeout(settings.Timeout), nameof(settings), "Timeout");
    }

    public string Name => "gemini";

    /// <summary>The model code without the resource prefix the API's own model names carry (<c>models/…</c>).</summary>
    internal static string ModelCode(string? model) =>
        model is not null && model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model ?? "";

    /// <exception cref="ArgumentNullException"><paramref name="systemPrompt"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="userPrompt"/> is empty.</exception>
    /// <exception cref="ProviderException">Gemini failed, timed out, blocked the prompt or the answer, or answered
    /// outside its documented format.</exception>
    public async Task<string> CompleteAsync(string systemPrompt, string userPrompt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(systemPrompt);
        ArgumentException.ThrowIfNullOrWhiteSpace(userPrompt);

        var body = new JsonObject
        {
            ["contents"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["parts"] = new JsonArray(new JsonObject { ["text"] = userPrompt }),
            }),
        };
        if (!string.IsNullOrWhiteSpace(systemPrompt))
        {
            body["systemInstruction"] = new JsonObject { ["parts"] = new JsonArray(new JsonObject { ["text"] = systemPrompt }) };
        }

        var response = await _exchange.PostJsonAsync(
            _generateUri, body, headers => headers.Add("x-goog-api-key", _apiKey), cancellationToken);
        if (!response.IsSuccess)
        {
            throw _exchange.FailStatus(response, ErrorMessage(response.TryParseJson()));
        }

        return AnswerText(_exchange.RequireJsonObject(response));
    }

    private string AnswerText(JsonElement root)
    {
        if (!root.TryGetProperty("candidates", out var candidates) || candidates.ValueKind != JsonValueKind.Array
            || candidates.GetArrayLength() == 0)
        {
            if (root.TryGetProperty("promptFeedback", out var feedback) && feedback.ValueKind == JsonValueKind.Object
                && feedback.TryGetProperty("blockReason", out var blockReason) && blockReason.ValueKind == JsonValueKind.String)
            {
                throw _exchange.Fail($"the prompt was blocked (blockReason {blockReason.GetString()})");
            }

            throw _exchange.Fail("empty response: no candidates");
        }

        var candidate = candidates[0];
        if (candidate.ValueKind != JsonValueKind.Object)
        {
            throw _exchange.Malformed("candidates[0] is not an object");
        }

        string? finishReason = candidate.TryGetProperty("finishReason", out var reason) && reason.ValueKind == JsonValueKind.String
            ? reason.GetString()
            : null;
        if (finishReason is not null && s_blockedFinishReasons.Contains(finishReason))
        {
            throw _exchange.Fail($"the answer was blocked (finishReason {finishReason})");
        }

        if (finishReason is not null && !s_answeredFinishReasons.Contains(finishReason))
        {
            throw _exchange.Fail($"the model stopped without an answer (finishReason {finishReason})");
        }

        string text = CandidateText(candidate).Trim();
        return text.Length > 0
            ? text
            : throw _exchange.Fail("empty response: candidates[0] has no text" + (finishReason is null ? "" : $" (finishReason {finishReason})"));
    }

    /// <summary>The text parts in order; a part marked <c>thought</c> is the model's reasoning, not its answer.</summary>
    private string CandidateText(JsonElement candidate)
    {
        if (!candidate.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Object
            || !content.TryGetProperty("parts", out var parts))
        {
            return "";
        }

        if (parts.ValueKind != JsonValueKind.Array)
        {
            throw _exchange.Malformed("candidates[0].content.parts is not an array");
        }

        var text = new StringBuilder();
        int index = 0;
        foreach (var part in parts.EnumerateArray())
        {
            string where = $"candidates[0].content.parts[{index++}]";
            if (part.ValueKind != JsonValueKind.Object)
            {
                throw _exchange.Malformed($"{where} is not an object");
            }

            if (part.TryGetProperty("thought", out var thought) && thought.ValueKind == JsonValueKind.True)
            {
                continue;
            }

            if (part.TryGetProperty("text", out var value))
            {
                text.Append(value.ValueKind == JsonValueKind.String ? value.GetString() : throw _exchange.Malformed($"{where}.text is not a string"));
            }
        }

        return text.ToString();
    }

    /// <summary>Google's error body: <c>{"error":{"code":400,"message":"…","status":"INVALID_ARGUMENT"}}</c>, also
    /// wrapped in a one-element array by some endpoints.</summary>
    private static ApiError? ErrorMessage(JsonElement? body)
    {
        JsonElement root = body ?? default;
        if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
        {
            root = root[0];
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object
            || !error.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        string? status = error.TryGetProperty("status", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null;
        return new ApiError(status, message.GetString());
    }
}
