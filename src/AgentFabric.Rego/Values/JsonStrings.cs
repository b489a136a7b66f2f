using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentFabric.Rego.Values;

/// <summary>Reads a JSON string token as Go's encoding/json does: an escaped lone surrogate (<c>"\ud800"</c>) becomes
/// U+FFFD rather than an error. System.Text.Json's GetString throws InvalidOperationException on one.</summary>
internal static class JsonStrings
{
    public static string Read(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // The reader has already checked the token's syntax; only the surrogates are left to mend.
            var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
            return Unescape(Encoding.UTF8.GetString(raw));
        }
    }

    // RFC 8259 §7 escapes; a \\u escape that is half a surrogate pair without its other half is U+FFFD
    // (encoding/json's unquote, via utf16.DecodeRune).
    private static string Unescape(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c != '\\' || i + 1 >= s.Length)
            {
                sb.Append(c);
                continue;
            }

            var e = s[++i];
            switch (e)
            {
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u' when i + 4 < s.Length:
                    var unit = (char)int.Parse(s.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    i += 4;
                    if (char.IsHighSurrogate(unit) && i + 6 < s.Length && s[i + 1] == '\\' && s[i + 2] == 'u'
                        && char.IsLowSurrogate((char)int.Parse(s.AsSpan(i + 3, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)))
                    {
                        sb.Append(unit).Append((char)int.Parse(s.AsSpan(i + 3, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 6;
                    }
                    else
                    {
                        sb.Append(char.IsSurrogate(unit) ? '\uFFFD' : unit);
                    }

                    break;
                default: sb.Append(e); break;
            }
        }

        return sb.ToString();
    }
}
