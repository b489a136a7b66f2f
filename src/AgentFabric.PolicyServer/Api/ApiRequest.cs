using System.IO.Compression;
using System.Text.Json;
using AgentFabric.Rego.Values;

namespace AgentFabric.PolicyServer.Api;

/// <summary>Reading OPA API requests: bodies (gzip accepted, size-limited), JSON documents and boolean query flags.</summary>
internal static class ApiRequest
{
    // OPA's server.decoding.max_length default (256 MiB) is far above what a decision needs; 64 MiB keeps a hostile
    // client from holding that much memory per request.
    public const int MaxBodyBytes = 64 * 1024 * 1024;

    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        Stream body = request.Body;
        if (string.Equals(request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(body, CompressionMode.Decompress, leaveOpen: true);
        }

        if (body == request.Body && request.ContentLength is { } length)
        {
            // The usual decision request: one array of the announced size, no copying.
            if (length > MaxBodyBytes)
            {
                throw TooLarge();
            }

            var exact = new byte[length];
            await body.ReadExactlyAsync(exact, cancellationToken).ConfigureAwait(false);
            return exact;
        }

        using var buffer = new MemoryStream();
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    throw TooLarge();
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private static OpaErrorException TooLarge() => new(new OpaError(413, OpaError.InvalidParameter, "request body too large"));

    /// <summary>A JSON document, or OPA's 400 naming what was malformed.</summary>
    public static Value ParseJson(ReadOnlySpan<byte> json, string what)
    {
        try
        {
            return Value.ParseJson(json);
        }
        catch (JsonException e)
        {
            throw new OpaErrorException(OpaError.BadRequest($"{what}: {e.Message}"));
        }
    }

    /// <summary>OPA's <c>getBoolParam</c>: the flag is on when present with no value or with <c>true</c>.</summary>
    public static bool Flag(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) && values.Any(v => string.IsNullOrEmpty(v) || string.Equals(v, "true", StringComparison.OrdinalIgnoreCase));
}
