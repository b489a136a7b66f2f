using System.Text.Json;

namespace AgentFabric.Rego.Values;

/// <summary>A JSON document nests deeper than <see cref="Value.MaxReadDepth"/>: a limit, not a syntax error, so
/// <c>json.unmarshal</c> halts the evaluation rather than being undefined.</summary>
public sealed class JsonDepthExceededException : JsonException
{
    /// <summary>The document nests deeper than <paramref name="maxDepth"/>.</summary>
    public JsonDepthExceededException(int maxDepth)
        : base($"exceeded max depth of {maxDepth}")
    {
    }

    /// <summary>The document nests too deep (prefer the other constructor).</summary>
    public JsonDepthExceededException()
        : base("exceeded max depth")
    {
    }

    /// <summary>The document nests too deep, found while handling another exception.</summary>
    public JsonDepthExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
