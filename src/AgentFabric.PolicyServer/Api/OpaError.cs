using System.Text.Json;
using AgentFabric.Rego;

namespace AgentFabric.PolicyServer.Api;

/// <summary>OPA's error body (server/types/types.go <c>ErrorV1</c>): <c>{"code", "message", "errors": [{"code",
/// "message", "location": {"file", "row", "col"}}]}</c>, with OPA's codes and HTTP statuses.</summary>
internal sealed record OpaError(int Status, string Code, string Message, IReadOnlyList<RegoError>? Errors = null)
{
    // server/types/types.go codes.
    public const string InternalError = "internal_error";
    public const string InvalidParameter = "invalid_parameter";
    public const string InvalidOperation = "invalid_operation";
    public const string ResourceNotFound = "resource_not_found";
    public const string ResourceConflict = "resource_conflict";
    public const string UndefinedDocument = "undefined_document";
    public const string Unauthorized = "unauthorized";

    // server/types/types.go messages.
    public const string CompileModuleMessage = "error(s) occurred while compiling module(s)";
    public const string ParseQueryMessage = "error(s) occurred while parsing query";
    public const string CompileQueryMessage = "error(s) occurred while compiling query";
    public const string EvaluationMessage = "error(s) occurred while evaluating query";
    public const string UndefinedMessage = "document missing or undefined";
    public const string UnauthorizedMessage = "request rejected by administrative policy";

    public static OpaError BadRequest(string message) => new(400, InvalidParameter, message);

    public static OpaError NotFound(string message) => new(404, ResourceNotFound, message);

    /// <summary>A Rego error while parsing or compiling a query or module, or evaluating a query.</summary>
    public static OpaError FromRego(RegoException e, int status, string message) =>
        new(status, status == 500 ? InternalError : InvalidParameter, message,
            e is RegoCompileException c ? c.Errors : [new RegoError(e.Code, e.Reason, e.Location)]);

    public Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        response.ContentType = "application/json";
        return response.Body.WriteAsync(ToJson()).AsTask();
    }

    public byte[] ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("code", Code);
            w.WriteString("message", Message);
            if (Errors is { Count: > 0 })
            {
                w.WriteStartArray("errors");
                foreach (var e in Errors)
                {
                    w.WriteStartObject();
                    w.WriteString("code", e.Code);
                    w.WriteString("message", e.Reason);
                    if (e.Location is { } l)
                    {
                        w.WriteStartObject("location");
                        w.WriteString("file", l.File);
                        w.WriteNumber("row", l.Line);
                        w.WriteNumber("col", l.Column);
                        w.WriteEndObject();
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return stream.ToArray();
    }
}

/// <summary>Thrown inside a handler to answer with an OPA error; caught by the endpoint wrapper only.</summary>
internal sealed class OpaErrorException(OpaError error) : Exception(error.Message)
{
    public OpaError Error { get; } = error;
}
