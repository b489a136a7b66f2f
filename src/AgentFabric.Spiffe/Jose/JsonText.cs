using System.Text.Json;
using System.Text.Unicode;

namespace AgentFabric.Spiffe.Jose;

/// <summary>
/// Text checks System.Text.Json leaves to the first <c>GetString</c> call, where they surface as
/// <see cref="InvalidOperationException"/>: done once up front so a parser can answer with its own documented error.
/// </summary>
internal static class JsonText
{
    /// <summary>RFC 8259 §8.1: JSON exchanged between systems is UTF-8; true when every byte sequence is well formed.</summary>
    public static bool IsUtf8(ReadOnlySpan<byte> json) => Utf8.IsValid(json);

    /// <summary>
    /// True when every escaped string and member name of <paramref name="json"/> decodes to valid UTF-16 (RFC 8259 §7
    /// allows a lone <c>\uD800</c> escape, which no .NET string reader accepts). Syntax errors are left to the caller's
    /// parser: this returns true for them so that the parser reports them in its own words.
    /// </summary>
    public static bool HasOnlyValidEscapes(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        return true;
    }
}
