using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ResearchAgents.Providers.Rest;

/// <summary>
/// Chat through any OpenAI-compatible endpoint: <c>POST {base}/chat/completions</c> with <c>model</c> and
/// <c>messages</c> (a system and a user message), <c>Authorization: Bearer</c> when a key is set; the answer is
/// <c>choices[0].message.content</c>. Errors carry <c>{"error":{"message","type","code"}}</c> (OpenAI API reference,
/// Chat Completions and Error codes; Ollama's OpenAI compatibility answers in the same shapes).
/// </summary>
public sealed class OpenAiCompatibleChatProvider : IChatProvider
{
    private readonly Uri _completionsUri;
    private readonly string _model;
    private readonly string? _apiKey;
    private readonly ProviderHttpExchange _exchange;

    /// <exception cref="ArgumentException">A setting is invalid (empty model, base address not absolute http(s), …).</exception>
    public OpenAiCompatibleChatProvider(HttpClient httpClient, OpenAiCompatibleChatSettings settings, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(settings);
        ThrowIfInvalid(settings);
        _completionsUri = new Uri(EndpointRules.WithTrailingSlash(settings.BaseAddress), "chat/completions");
        _model = settings.Model;
        _apiKey = string.IsNullOrEmpty(settings.ApiKey) ? null : settings.ApiKey;
        _exchange = new ProviderHttpExchange(Name, httpClient, settings.Timeout, timeProvider ?? TimeProvider.System, _apiKey);
    }

    /// <summary>The settings checks, also run by <see cref="RestProviderServiceCollectionExtensions"/> at registration.</summary>
    internal static void ThrowIfInvalid(OpenAiCompatibleChatSettings settings)
    {
        bool sendsKey = !string.IsNullOrEmpty(settings.ApiKey);
        if (sendsKey)
        {
            EndpointRules.ThrowIfInvalid(EndpointRules.CheckApiKey(settings.ApiKey), nameof(settings), "ApiKey");
        }

        EndpointRules.ThrowIfInvalid(EndpointRules.CheckBaseAddress(settings.BaseAddress, sendsKey), nameof(settings), "BaseAddress");
        EndpointRules.ThrowIfInvalid(EndpointRules.CheckModel(settings.Model, inUrlPath: false), nameof(settings), "Model");
        EndpointRules.ThrowIfInvalid(EndpointRules.CheckTimeout(settings.Timeout), nameof(settings), "Timeout");
    }

    public string Name => "openai-compatible";

    /// <exception cref="ArgumentNullException"><paramref name="systemPrompt"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="userPrompt"/> is empty.</exception>
    /// <exception cref="ProviderException">The endpoint failed, timed out, filtered or refused the answer, or answered
    /// outside the documented format.</exception>
    public async Task<string> CompleteAsync(string systemPrompt, string userPrompt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(systemPrompt);
        ArgumentException.ThrowIfNullOrWhiteSpace(userPrompt);

        var messages = new JsonArray();
        if (!string.IsNullOrWhiteSpace(systemPrompt))
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = systemPrompt });
        }

        messages.Add(new JsonObject { ["role"] = "user", ["content"] = userPrompt });
        var body = new JsonObject { ["model"] = _model, ["messages"] = messages, ["stream"] = false };

        var response = await _exchange.PostJsonAsync(_completionsUri, body, AddAuthorization, cancellationToken);
        if (!response.IsSuccess)
        {
            throw _exchange.FailStatus(response, ErrorMessage(response.TryParseJson()));
        }

        return AnswerText(_exchange.RequireJsonObject(response));
    }

    private void AddAuthorization(HttpRequestHeaders headers)
    {
        if (_apiKey is not null)
        {
            headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }
    }

    private string AnswerText(JsonElement root)
    {
        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            throw _exchange.Malformed("no \"choices\" array");
        }

        if (choices.GetArrayLength() == 0)
        {
            throw _exchange.Fail("empty response: no choices");
        }

        var choice = choices[0];
        if (choice.ValueKind != JsonValueKind.Object)
        {
            throw _exchange.Malformed("choices[0] is not an object");
        }

        string? finishReason = choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String
            ? reason.GetString()
            : null;
        if (finishReason == "content_filter")
        {
            throw _exchange.Fail("the answer was blocked (finish_reason content_filter)");
        }

        if (!choice.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            throw _exchange.Malformed("choices[0].message is missing");
        }

        if (message.TryGetProperty("refusal", out var refusal) && refusal.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(refusal.GetString()))
        {
            throw _exchange.Fail("the model refused: " + refusal.GetString()!.Trim());
        }

        string text = MessageContent(message).Trim();
        return text.Length > 0
            ? text
            : throw _exchange.Fail("empty response: choices[0].message.content is empty" + (finishReason is null ? "" : $" (finish_reason {finishReason})"));
    }

    /// <summary>The content: a string (the usual form), or an array of parts of which the <c>text</c> ones count.</summary>
    private string MessageContent(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return "";
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw _exchange.Malformed("choices[0].message.content is neither a string nor an array of parts");
        }

        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var type) && type.ValueEquals("text")
                && part.TryGetProperty("text", out var value) && value.ValueKind == JsonValueKind.String)
            {
                text.Append(value.GetString());
            }
        }

        return text.ToString();
    }

    /// <summary>The error body: <c>{"error":{"message":"…","type":"…","code":"…"}}</c> (code may be null or a number;
    /// the type then stands in), or <c>{"error":"…"}</c> as some compatible servers answer.</summary>
    private static ApiError? ErrorMessage(JsonElement? body)
    {
        if (body is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("error", out var error))
        {
            return null;
        }

        if (error.ValueKind == JsonValueKind.String)
        {
            return new ApiError(null, error.GetString());
        }

        if (error.ValueKind != JsonValueKind.Object || !error.TryGetProperty("message", out var message)
            || message.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        string? code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()
            : error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()
            : null;
        return new ApiError(code, message.GetString());
    }
}
