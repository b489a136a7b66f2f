using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ResearchAgents.Providers.Rest;

/// <summary>
/// Web search through Tavily's REST API: <c>POST {base}/search</c> with <c>Authorization: Bearer {key}</c> and a JSON
/// body (<c>query</c>, <c>max_results</c>, …); the answer's <c>results[]</c> carry <c>title</c>, <c>url</c> and
/// <c>content</c>, and errors carry <c>{"detail":{"error":"…"}}</c> (docs.tavily.com, API reference, Search).
/// </summary>
public sealed class TavilySearchProvider : ISearchProvider
{
    /// <summary>Tavily accepts at most 20 results per request (API reference: max_results range).</summary>
    public const int MaxResultsPerRequest = 20;

    private readonly Uri _searchUri;
    private readonly string _apiKey;
    private readonly ProviderHttpExchange _exchange;

    /// <exception cref="ArgumentException">A setting is invalid (empty key, base address not absolute http(s), …).</exception>
    public TavilySearchProvider(HttpClient httpClient, TavilySearchSettings settings, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(settings);
        ThrowIfInvalid(settings);
        _searchUri = new Uri(EndpointRules.WithTrailingSlash(settings.BaseAddress), "search");
        _apiKey = settings.ApiKey;
        _exchange = new ProviderHttpExchange(Name, httpClient, settings.Timeout, timeProvider ?? TimeProvider.System, settings.ApiKey);
    }

    /// <summary>The settings checks, also run by <see cref="RestProviderServiceCollectionExtensions"/> at registration.</summary>
    internal static void ThrowIfInvalid(TavilySearchSettings settings)
    {
        EndpointRules.ThrowIfInvalid(EndpointRules.CheckApiKey(settings.ApiKey), nameof(settings), "ApiKey");
        EndpointRules.ThrowIfInvalid(EndpointRules.CheckBaseAddress(settings.BaseAddress, sendsKey: true), nameof(settings), "BaseAddress");
        EndpointRules.ThrowIfInvalid(EndpointRules.CheckTimeout(settings.Timeout), nameof(settings), "Timeout");
    }

    public string Name => "tavily";

    /// <exception cref="ArgumentException"><paramref name="query"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxResults"/> is less than 1.</exception>
    /// <exception cref="ProviderException">Tavily failed, timed out, or answered outside its documented format.</exception>
    public async Task<IReadOnlyList<SearchResult>> SearchAsync(string query, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        int requested = Math.Min(maxResults, MaxResultsPerRequest);

        var body = new JsonObject
        {
            ["query"] = query,
            ["max_results"] = requested,
            ["search_depth"] = "basic",
            ["topic"] = "general",
            ["include_answer"] = false,
            ["include_raw_content"] = false,
            ["include_images"] = false,
        };
        var response = await _exchange.PostJsonAsync(
            _searchUri, body, headers => headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey), cancellationToken);
        if (!response.IsSuccess)
        {
            throw _exchange.FailStatus(response, ErrorMessage(response.TryParseJson()));
        }

        return ParseResults(_exchange.RequireJsonObject(response), requested);
    }

    private List<SearchResult> ParseResults(JsonElement root, int maxResults)
    {
        if (!root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            throw _exchange.Malformed("no \"results\" array");
        }

        var parsed = new List<SearchResult>();
        int index = 0;
        foreach (var item in results.EnumerateArray())
        {
            if (parsed.Count == maxResults)
            {
                break;
            }

            string where = $"results[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw _exchange.Malformed($"{where} is not an object");
            }

            string url = RequiredString(item, where, "url");
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw _exchange.Malformed($"{where}.url is not an absolute http(s) URL");
            }

            string title = RequiredString(item, where, "title");
            string content = RequiredString(item, where, "content");
            parsed.Add(new SearchResult(title.Length > 0 ? title : uri.Host, uri, content));
        }

        return parsed;
    }

    private string RequiredString(JsonElement item, string where, string name)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw _exchange.Malformed($"{where}.{name} is missing");
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw _exchange.Malformed($"{where}.{name} is not a string");
    }

    /// <summary>Tavily's error text: <c>detail.error</c>; also a plain <c>detail</c> string, and the
    /// <c>detail[].msg</c> list its framework answers for a body that fails validation (HTTP 422).</summary>
    private static ApiError? ErrorMessage(JsonElement? body)
    {
        if (body is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("detail", out var detail))
        {
            return null;
        }

        string? message = detail.ValueKind switch
        {
            JsonValueKind.String => detail.GetString(),
            JsonValueKind.Object when detail.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String => error.GetString(),
            JsonValueKind.Array => string.Join("; ", detail.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("msg", out var m) && m.ValueKind == JsonValueKind.String)
                .Select(e => e.GetProperty("msg").GetString())) is { Length: > 0 } joined ? joined : null,
            _ => null,
        };
        return message is null ? null : new ApiError(null, message);
    }
}
