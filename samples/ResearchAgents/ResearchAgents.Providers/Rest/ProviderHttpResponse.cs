using System.Text.Json;

namespace ResearchAgents.Providers.Rest;

/// <summary>One HTTP answer from a provider's API, read whole (within <see cref="ProviderHttpExchange.MaxResponseBytes"/>).</summary>
internal sealed record ProviderHttpResponse(int StatusCode, string? MediaType, byte[] Body)
{
    public bool IsSuccess => StatusCode is >= 200 and <= 299;

    /// <summary>The body as JSON, or <see langword="null"/> when it is empty or not JSON.</summary>
    public JsonElement? TryParseJson()
    {
        if (Body.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A short plain-text body (some proxies and servers answer errors that way), or <see langword="null"/>.</summary>
    public string? PlainTextMessage()
    {
        const int MaxLength = 200;
        if (MediaType is not "text/plain" || Body.Length is 0 or > MaxLength * 4)
        {
            return null;
        }

        string text = System.Text.Encoding.UTF8.GetString(Body).Trim();
        return text.Length is > 0 and <= MaxLength && !text.Contains('\n', StringComparison.Ordinal) ? text : null;
    }
}
