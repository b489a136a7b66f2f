using System.Globalization;
using System.Text;

namespace AgentFabric.Rego.Builtins.Net;

/// <summary>An IP address as Go's <c>net.ParseIP</c> reads it and <c>net.IP.String</c> prints it: IPv4 in dotted
/// decimal (no leading zeros), IPv6 in RFC 4291 §2.2 text, no zone. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is
/// held as the IPv4 address, as Go's <c>To4</c> does. The value of an IPv4 address is in the low 32 bits.</summary>
internal readonly record struct NetAddress(bool IsV4, UInt128 Value)
{
    private static readonly UInt128 V4MappedPrefix = (UInt128)0xFFFF << 32;

    /// <summary>Address width in bits.</summary>
    public int Bits => IsV4 ? 32 : 128;

    /// <summary>The address in the IPv6 space (IPv4 as ::ffff:a.b.c.d), so both families sort in one order.</summary>
    public UInt128 Unified => IsV4 ? V4MappedPrefix | Value : Value;

    public static NetAddress FromUnified(UInt128 value) =>
        value >> 32 == 0xFFFF ? new NetAddress(true, value & uint.MaxValue) : new NetAddress(false, value);

    public static bool TryParse(string text, out NetAddress address)
    {
        address = default;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (!TryParseV4(text, out var v4))
                {
                    return false;
                }

                address = new NetAddress(true, v4);
                return true;
            }

            if (c == ':')
            {
                if (!TryParseV6(text, out var v6))
                {
                    return false;
                }

                address = FromUnified(v6);
                return true;
            }
        }

        return false;
    }

    // Go's IP.String: dotted IPv4; IPv6 lowercase hex with the longest run (two or more) of zero groups as "::"
    // (RFC 5952 §4.2).
    public override string ToString()
    {
        if (IsV4)
        {
            var v = (uint)Value;
            return string.Create(CultureInfo.InvariantCulture, $"{v >> 24}.{(v >> 16) & 0xFF}.{(v >> 8) & 0xFF}.{v & 0xFF}");
        }

        Span<ushort> groups = stackalloc ushort[8];
        for (var i = 0; i < 8; i++)
        {
            groups[i] = (ushort)(Value >> (112 - (16 * i)));
        }

        int bestStart = -1, bestLength = 0;
        for (var i = 0; i < 8;)
        {
            if (groups[i] != 0)
            {
                i++;
                continue;
            }

            var j = i;
            while (j < 8 && groups[j] == 0)
            {
                j++;
            }

            if (j - i > bestLength && j - i >= 2)
            {
                bestStart = i;
                bestLength = j - i;
            }

            i = j;
        }

        var sb = new StringBuilder();
        for (var i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                sb.Append("::");
                i += bestLength - 1;
                continue;
            }

            if (sb.Length > 0 && sb[^1] != ':')
            {
                sb.Append(':');
            }

            sb.Append(groups[i].ToString("x", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    private static bool TryParseV4(ReadOnlySpan<char> text, out UInt128 value)
    {
        value = 0;
        var fields = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            var n = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                n = (n * 10) + (text[i] - '0');
                i++;
                if (i - start > 3 || n > 255)
                {
                    return false;
                }
            }

            // A field has 1-3 digits and no leading zero.
            if (i == start || (i - start > 1 && text[start] == '0'))
            {
                return false;
            }

            value = (value << 8) | (uint)n;
            fields++;
            if (i == text.Length)
            {
                return fields == 4;
            }

            if (text[i] != '.' || fields == 4)
            {
                return false;
            }

            i++;
        }
    }

    // RFC 4291 §2.2: eight 16-bit hex groups, one "::" for a run of zero groups, an optional dotted IPv4 tail.
    private static bool TryParseV6(string text, out UInt128 value)
    {
        value = 0;
        Span<ushort> groups = stackalloc ushort[8];
        var count = 0;
        var ellipsis = -1;
        var i = 0;
        if (text.StartsWith("::", StringComparison.Ordinal))
        {
            ellipsis = 0;
            i = 2;
            if (i == text.Length)
            {
                return true;
            }
        }

        while (i < text.Length)
        {
            var start = i;
            var n = 0;
            while (i < text.Length && char.IsAsciiHexDigit(text[i]) && i - start < 4)
            {
                n = (n << 4) | (char.IsAsciiDigit(text[i]) ? text[i] - '0' : (text[i] | 0x20) - 'a' + 10);
                i++;
            }

            if (i < text.Length && text[i] == '.')
            {
                // Embedded IPv4 in the last 32 bits.
                if (count > 6 || !TryParseV4(text.AsSpan(start), out var v4))
                {
                    return false;
                }

                groups[count++] = (ushort)((uint)v4 >> 16);
                groups[count++] = (ushort)((uint)v4 & 0xFFFF);
                i = text.Length;
                break;
            }

            if (i == start || count == 8)
            {
                return false;
            }

            groups[count++] = (ushort)n;
            if (i == text.Length)
            {
                break;
            }

            if (text[i] != ':')
            {
                return false;
            }

            i++;
            if (i < text.Length && text[i] == ':')
            {
                if (ellipsis >= 0)
                {
                    return false;
                }

                ellipsis = count;
                i++;
                if (i == text.Length)
                {
                    break;
                }
            }
            else if (i == text.Length)
            {
                return false;
            }
        }

        if (ellipsis < 0 ? count != 8 : count == 8)
        {
            return false;
        }

        if (ellipsis >= 0)
        {
            var tail = count - ellipsis;
            for (var k = 0; k < tail; k++)
            {
                groups[7 - k] = groups[count - 1 - k];
            }

            for (var k = ellipsis; k < 8 - tail; k++)
            {
                groups[k] = 0;
            }
        }

        foreach (var g in groups)
        {
            value = (value << 16) | g;
        }

        return true;
    }
}
