using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ResearchAgents.Providers.Rest;

/// <summary>
/// The HTTP part every REST provider shares: one JSON POST under a deadline, the answer read within a size limit, and
/// every failure turned into a <see cref="ProviderException"/> that names the provider and never carries its API key.
/// </summary>
internal sealed class ProviderHttpExchange
{
    /// <summary>Answers larger than this fail (limits fail closed): a search or chat answer is a few kilobytes.</summary>
    public const int MaxResponseBytes = 4 * 1024 * 1024;

    /// <summary>An API's error message is quoted up to this length: enough for any real one, and a runaway body does
    /// not become a runaway exception message.</summary>
    public const int MaxApiMessageLength = 500;

    private const string Redacted = "[redacted]";

    private readonly string _provider;
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly string? _secret;

    public ProviderHttpExchange(string provider, HttpClient http, TimeSpan timeout, TimeProvider time, string? secret)
    {
        _provider = provider;
        _http = http;
        _timeout = timeout;
        _time = time;
        _secret = string.IsNullOrEmpty(secret) ? null : secret;
    }

    public async Task<ProviderHttpResponse> PostJsonAsync(
        Uri uri, JsonObject body, Action<HttpRequestHeaders> addHeaders, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        addHeaders(request.Headers);

        using var deadline = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            byte[] bytes = await ReadWithinLimitAsync(response.Content, linked.Token);
            return new ProviderHttpResponse((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, bytes);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our deadline, or HttpClient.Timeout if the client was given a shorter one: either way the API was too slow.
            throw Fail(string.Create(CultureInfo.InvariantCulture, $"no answer within {_timeout.TotalSeconds:0.###} s"));
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError
            or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError)
        {
            throw Fail($"cannot reach {uri.GetLeftPart(UriPartial.Authority)}/: {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw Fail($"the request to {uri.GetLeftPart(UriPartial.Authority)}/ failed: {e.Message}", e);
        }
        catch (IOException e)
        {
            // The headers came, then the connection broke (or the body was cut short) before the last byte.
            throw Fail($"the connection broke while reading the answer: {e.Message}", e);
        }
    }

    /// <summary>A failure of this provider: "provider: reason", with the API key (should an API echo it) removed.</summary>
    public ProviderException Fail(string reason, Exception? inner = null)
    {
        string message = _provider + ": " + reason;
        if (_secret is not null)
        {
            message = message.Replace(_secret, Redacted, StringComparison.Ordinal);
        }

        return inner is null ? new ProviderException(message) : new ProviderException(message, inner);
    }

    /// <summary>The failure for a non-2xx answer: the status, the API's own error code (e.g. INVALID_ARGUMENT) and
    /// message when the body has them, else a short plain-text body.</summary>
    public ProviderException FailStatus(ProviderHttpResponse response, ApiError? error)
    {
        string reason = string.Create(CultureInfo.InvariantCulture, $"HTTP {response.StatusCode}");
        if (!string.IsNullOrWhiteSpace(error?.Code))
        {
            reason += " " + error.Code.Trim();
        }

        string? message = (error?.Message ?? response.PlainTextMessage())?.Trim();
        if (message is { Length: > MaxApiMessageLength })
        {
            message = message[..MaxApiMessageLength] + "…";
        }

        return Fail(string.IsNullOrEmpty(message) ? reason : reason + ": " + message);
    }

    public ProviderException Malformed(string what) => Fail("malformed response: " + what);

    /// <summary>A 2xx body that must be a JSON object: empty, non-JSON and non-object bodies are malformed.</summary>
    public JsonElement RequireJsonObject(ProviderHttpResponse response)
    {
        if (response.Body.Length == 0)
        {
            throw Malformed("the body is empty");
        }

        JsonElement root = response.TryParseJson() ?? throw Malformed("the body is not JSON");
        return root.ValueKind == JsonValueKind.Object ? root : throw Malformed("the body is not a JSON object");
    }

    private async Task<byte[]> ReadWithinLimitAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            throw TooLarge();
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private ProviderException TooLarge() =>
        Fail(string.Create(CultureInfo.InvariantCulture, $"the response is larger than {MaxResponseBytes} bytes"));
}
