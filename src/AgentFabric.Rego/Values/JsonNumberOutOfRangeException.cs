using System.Text.Json;

namespace AgentFabric.Rego.Values;

/// <summary>A JSON number the engine cannot hold: an integer beyond 10^4096 or a fraction beyond the float64 range
/// (<c>1e40001</c>). OPA keeps such a number as its text (Go's json.Number) and compares it as a big.Float; the engine
/// holds numbers as values, so this is a limit, and <c>json.unmarshal</c> halts the evaluation rather than being
/// undefined.</summary>
public sealed class JsonNumberOutOfRangeException : JsonException
{
    // The offending text goes in the message, cut so a megabyte of digits does not.
    private const int MaxQuotedLength = 64;

    /// <summary>The number written as <paramref name="text"/> is out of the engine's range.</summary>
    public JsonNumberOutOfRangeException(string text)
        : base($"number out of range: {Quote(text)}")
    {
    }

    /// <summary>A number is out of the engine's range (prefer the other constructor).</summary>
    public JsonNumberOutOfRangeException()
        : base("number out of range")
    {
    }

    /// <summary>A number is out of range, found while handling another exception.</summary>
    public JsonNumberOutOfRangeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private static string Quote(string? text) =>
        text is null ? string.Empty : text.Length <= MaxQuotedLength ? text : string.Concat(text.AsSpan(0, MaxQuotedLength), "...");
}
