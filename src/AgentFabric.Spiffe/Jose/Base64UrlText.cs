using System.Buffers;
using System.Buffers.Text;

namespace AgentFabric.Spiffe.Jose;

/// <summary>
/// Strict base64url (RFC 7515 §2, RFC 4648 §5 without padding): the BCL decoder also accepts padding and whitespace,
/// so the alphabet is checked first. Non-canonical trailing bits are rejected by the BCL decoder itself.
/// </summary>
internal static class Base64UrlText
{
    private static readonly SearchValues<char> s_alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>True when <paramref name="text"/> uses only the unpadded base64url alphabet and decodes.</summary>
    public static bool IsValid(ReadOnlySpan<char> text) =>
        !text.ContainsAnyExcept(s_alphabet) && text.Length % 4 != 1 && Base64Url.IsValid(text);

    /// <summary>Decodes into a new array, or returns null for text that is not strict base64url.</summary>
    public static byte[]? TryDecode(ReadOnlySpan<char> text)
    {
        if (text.ContainsAnyExcept(s_alphabet) || text.Length % 4 == 1)
        {
            return null;
        }

        var bytes = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        var status = Base64Url.DecodeFromChars(text, bytes, out _, out int written);
        return status == OperationStatus.Done ? written == bytes.Length ? bytes : bytes[..written] : null;
    }

    /// <summary>Decodes into <paramref name="destination"/>; false for text that is not strict base64url.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        if (text.ContainsAnyExcept(s_alphabet) || text.Length % 4 == 1)
        {
            return false;
        }

        return Base64Url.DecodeFromChars(text, destination, out _, out written) == OperationStatus.Done;
    }

    public static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);
}
