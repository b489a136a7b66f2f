using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace AgentFabric.Spiffe.Jose;

/// <summary>
/// Parses a JSON document whose strings will be read with <c>GetString</c>: the text checks System.Text.Json leaves
/// to that first read (where they surface as <see cref="InvalidOperationException"/>) are made here, up front, so each
/// parser answers with its own documented error.
/// </summary>
internal static class JsonDocuments
{
    /// <summary>The document, or an error naming <paramref name="subject"/> (e.g. <c>spiffebundle: JWKS</c>).</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> json,
        string subject,
        [NotNullWhen(true)] out JsonDocument? document,
        [NotNullWhen(false)] out string? error)
    {
        document = null;

        // RFC 8259 §8.1: JSON exchanged between systems is UTF-8.
        if (!JsonText.IsUtf8(json))
        {
            error = subject + " is not valid UTF-8";
            return false;
        }

        // RFC 8259 §7 allows a lone surrogate escape (\uD800); no .NET string can hold it.
        if (!JsonText.HasOnlyValidEscapes(json))
        {
            error = subject + " has a string escape that is not a Unicode character (a lone surrogate)";
            return false;
        }

        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException ex)
        {
            error = $"{subject} is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})";
            return false;
        }

        error = null;
        return true;
    }
}
