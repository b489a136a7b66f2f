using System.Diagnostics;
using System.Text.Json;
using AgentFabric.Authorization.DecisionLogs;
using AgentFabric.PolicyServer.State;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.PolicyServer.Api;

/// <summary>OPA's Data API reads (<c>GET|POST /v1/data[/{path}]</c>) and the default decision (<c>POST /</c>), per
/// OPA docs "REST API" § Data API.</summary>
internal sealed class DataApi(PolicyServerRuntime runtime)
{
    private static readonly EvaluationSettings Strict = new() { StrictBuiltinErrors = true };

    public Task GetAsync(HttpContext context, string? path) => ApiResponse.GuardAsync(context, async () =>
    {
        var start = Stopwatch.GetTimestamp();
        Value? input = null;
        if (context.Request.Query.TryGetValue("input", out var text) && text.Count > 0)
        {
            input = ApiRequest.ParseJson(System.Text.Encoding.UTF8.GetBytes(text[0] ?? ""), "input parameter contains malformed JSON");
        }

        await AnswerAsync(context, DataPath.Segments(path), input, inputMissing: false, start).ConfigureAwait(false);
    });

    public Task PostAsync(HttpContext context, string? path) => ApiResponse.GuardAsync(context, async () =>
    {
        var start = Stopwatch.GetTimestamp();
        var body = await ApiRequest.ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        Value? input = null;
        var missing = true;
        if (body.Length > 0)
        {
            if (ApiRequest.ParseJson(body, "body contains malformed input document") is not ObjectValue request)
            {
                throw new OpaErrorException(OpaError.BadRequest("body contains malformed input document: the request body must be an object"));
            }

            input = request.Get("input");
            missing = input is null;
        }

        await AnswerAsync(context, DataPath.Segments(path), input, missing, start).ConfigureAwait(false);
    });

    /// <summary><c>POST /</c>: the body is the input, the answer the bare value; undefined is OPA's 404.</summary>
    public Task PostDefaultAsync(HttpContext context) => ApiResponse.GuardAsync(context, async () =>
    {
        var start = Stopwatch.GetTimestamp();
        var body = await ApiRequest.ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var input = body.Length == 0 ? null : ApiRequest.ParseJson(body, "body contains malformed input document");
        var segments = DataPath.Segments(runtime.Options.DefaultDecision);
        var reference = DataPath.Reference(segments);
        var (result, _) = Decide(context, segments, reference, input, start);
        if (result is null)
        {
            throw new OpaErrorException(new OpaError(404, OpaError.UndefinedDocument, $"{OpaError.UndefinedMessage}: {reference}"));
        }

        await ApiResponse.WriteAsync(context, 200, result.WriteJson).ConfigureAwait(false);
    });

    private async Task AnswerAsync(HttpContext context, string[] segments, Value? input, bool inputMissing, long start)
    {
        var reference = DataPath.Reference(segments);
        var (result, decisionId) = Decide(context, segments, reference, input, start);
        var request = context.Request;
        var metrics = ApiRequest.Flag(request, "metrics") || ApiRequest.Flag(request, "instrument");
        var provenance = ApiRequest.Flag(request, "provenance");
        var elapsed = Stopwatch.GetElapsedTime(start);
        await ApiResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            if (decisionId is not null)
            {
                w.WriteString("decision_id", decisionId);
            }

            if (metrics)
            {
                w.WriteStartObject("metrics");
                w.WriteNumber("timer_rego_query_eval_ns", (long)(elapsed.TotalMilliseconds * 1_000_000));
                w.WriteNumber("timer_server_handler_ns", (long)(Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1_000_000));
                w.WriteEndObject();
            }

            if (provenance)
            {
                WriteProvenance(w);
            }

            if (result is not null)
            {
                w.WritePropertyName("result");
                result.WriteJson(w);
            }

            if (inputMissing)
            {
                // OPA's api_usage_warning when a POST body has no "input" key.
                w.WriteStartObject("warning");
                w.WriteString("code", "api_usage_warning");
                w.WriteString("message", "'input' key missing from the request");
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private (Value? Result, string? DecisionId) Decide(HttpContext context, string[] segments, string reference, Value? input, long start)
    {
        PreparedQuery prepared;
        try
        {
            prepared = runtime.Activator.Store.Prepare(reference);
        }
        catch (RegoException e)
        {
            throw new OpaErrorException(OpaError.FromRego(e, 400, e is RegoParseException ? OpaError.ParseQueryMessage : OpaError.CompileQueryMessage));
        }

        Value? result;
        try
        {
            result = prepared.Evaluate(input, context.RequestAborted, ApiRequest.Flag(context.Request, "strict-builtin-errors") ? Strict : null).Value;
        }
        catch (RegoException e)
        {
            runtime.Metrics.RecordError(Stopwatch.GetElapsedTime(start));
            throw new OpaErrorException(OpaError.FromRego(e, 500, OpaError.EvaluationMessage));
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        runtime.Metrics.RecordDecision(result, elapsed);
        if (runtime.DecisionLogger is not { } logger)
        {
            return (result, null);
        }

        var id = Guid.NewGuid().ToString();
        logger.Log(new DecisionLogEvent
        {
            DecisionId = id,
            Path = string.Join('/', segments),
            Input = input,
            Result = result,
            Timestamp = runtime.Time.GetUtcNow(),
            Metrics = new Dictionary<string, long>(StringComparer.Ordinal) { ["timer_rego_query_eval_ns"] = (long)(elapsed.TotalMilliseconds * 1_000_000) },
            Bundles = runtime.Activator.Revisions,
            Labels = logger.Labels,
        });
        return (result, id);
    }

    private void WriteProvenance(Utf8JsonWriter w)
    {
        w.WriteStartObject("provenance");
        w.WriteString("version", PolicyServerRuntime.Version);
        w.WriteStartObject("bundles");
        foreach (var (name, revision) in runtime.Activator.Revisions.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(name);
            w.WriteString("revision", revision);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }
}
