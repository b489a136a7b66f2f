using System.Globalization;
using System.Text;

namespace AgentFabric.Rego.Builtins.Uuid;

/// <summary>UUID text forms accepted by OPA's <c>uuid.parse</c> (google/uuid): the 36-character form, with a
/// case-insensitive <c>urn:uuid:</c> prefix, wrapped in any two characters (38 characters, e.g. braces), or 32 hex
/// digits without dashes.</summary>
internal static class UuidText
{
    public static bool TryParse(string s, out byte[] bytes)
    {
        bytes = new byte[16];
        switch (s.Length)
        {
            case 36:
                break;
            case 45:
                if (!s.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                s = s[9..];
                break;
            case 38:
                // Only the middle 36 characters are examined.
                s = s[1..37];
                break;
            case 32:
                for (var i = 0; i < 16; i++)
                {
                    if (!TryHexByte(s, i * 2, out bytes[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }

        if (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
        {
            return false;
        }

        ReadOnlySpan<int> offsets = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
        for (var i = 0; i < 16; i++)
        {
            if (!TryHexByte(s, offsets[i], out bytes[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryHexByte(string s, int at, out byte b) =>
        byte.TryParse(s.AsSpan(at, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out b);

    public static string Format(byte[] b)
    {
        var hex = Convert.ToHexStringLower(b);
        return new StringBuilder(36).Append(hex, 0, 8).Append('-').Append(hex, 8, 4).Append('-').Append(hex, 12, 4)
            .Append('-').Append(hex, 16, 4).Append('-').Append(hex, 20, 12).ToString();
    }
}
