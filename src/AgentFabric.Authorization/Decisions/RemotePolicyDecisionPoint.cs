using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization;

/// <summary>Decides by asking a server that speaks OPA's REST Data API (OPA itself, or AgentFabric's policy server):
/// <c>POST /v1/data/{path}</c> with <c>{"input": ...}</c>, answered by <c>{"result": ..., "decision_id": ...}</c>
/// (no <c>result</c> key when the rule is undefined). Fails closed: an error status, a malformed answer, a timeout or
/// an unreachable server throws, never allows.</summary>
public sealed class RemotePolicyDecisionPoint : IPolicyDecisionPoint
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly HttpClient _http;
    private readonly Uri _baseAddress;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly Func<string> _newDecisionId;

    /// <summary>A PDP calling the server at <paramref name="baseAddress"/> (e.g. <c>http://127.0.0.1:8181/</c>).</summary>
    public RemotePolicyDecisionPoint(HttpClient http, Uri baseAddress, TimeSpan timeout, TimeProvider? timeProvider = null, Func<string>? newDecisionId = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _http = http;
        _baseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _timeout = timeout;
        _time = timeProvider ?? TimeProvider.System;
        _newDecisionId = newDecisionId ?? PolicyDecisionPointOptions.NewUuid;
    }

    /// <inheritdoc />
    public async Task<PolicyDecision> DecideAsync(DecisionPath path, Value input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(input);

        // OPA REST API, Data API: "POST /v1/data/{path:.+}" with the input under "input".
        var uri = new Uri(_baseAddress, "v1/data/" + path);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"input\":" + input.ToJson() + "}")) { Headers = { ContentType = JsonMediaType } },
        };
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var start = _time.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            var elapsed = _time.GetElapsedTime(start);
            return response.StatusCode == HttpStatusCode.OK
                ? ReadDecision(path, body, elapsed)
                : throw OpaErrorBody.ToException(response.StatusCode, body);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Our timeout, or the HttpClient's own (HttpClient.Timeout): either way no answer, so no decision.
            var within = timeout.IsCancellationRequested ? _timeout : _http.Timeout;
            throw new PolicyDecisionPointUnavailableException($"pdp: {uri} did not answer within {within.TotalMilliseconds:0} ms", e);
        }
        catch (HttpRequestException e)
        {
            throw new PolicyDecisionPointUnavailableException($"pdp: {uri} unreachable: {e.Message}", e);
        }
    }

    // OPA REST API: 200 {"result": <value>, "decision_id": "..."}; undefined → no "result" key.
    private PolicyDecision ReadDecision(DecisionPath path, byte[] body, TimeSpan elapsed)
    {
        Value parsed;
        try
        {
            parsed = Value.ParseJson(body);
        }
        catch (JsonException e)
        {
            throw new RemotePolicyDecisionException(HttpStatusCode.OK, null, $"response is not JSON: {e.Message}", []);
        }

        if (parsed is not ObjectValue o)
        {
            throw new RemotePolicyDecisionException(HttpStatusCode.OK, null, $"response is a JSON {parsed.TypeName}, not an object", []);
        }

        var id = o.Get("decision_id") switch
        {
            null => _newDecisionId(),
            StringValue s => s.Value,
            var other => throw new RemotePolicyDecisionException(HttpStatusCode.OK, null, $"decision_id is a {other.TypeName}, not a string", []),
        };
        return new PolicyDecision(path, o.Get("result"), id, elapsed);
    }
}
