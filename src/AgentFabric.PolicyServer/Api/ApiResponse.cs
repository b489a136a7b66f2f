using System.Text.Json;

namespace AgentFabric.PolicyServer.Api;

/// <summary>Writes a JSON response body (indented with <c>?pretty</c>, as OPA does).</summary>
internal static class ApiResponse
{
    public static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        var pretty = ApiRequest.Flag(context.Request, "pretty");
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = pretty, MaxDepth = AgentFabric.Rego.Values.Value.MaxWriteDepth }))
        {
            write(w);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(stream.GetBuffer().AsMemory(0, (int)stream.Length), context.RequestAborted).ConfigureAwait(false);
    }

    public static Task WriteEmptyObjectAsync(HttpContext context, int status = 200) =>
        WriteAsync(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteEndObject();
        });

    /// <summary>Runs a handler, answering an <see cref="OpaErrorException"/> with its error body.</summary>
    public static async Task GuardAsync(HttpContext context, Func<Task> handler)
    {
        try
        {
            await handler().ConfigureAwait(false);
        }
        catch (OpaErrorException e)
        {
            if (!context.Response.HasStarted)
            {
                await e.Error.WriteAsync(context.Response).ConfigureAwait(false);
            }
        }
    }
}
