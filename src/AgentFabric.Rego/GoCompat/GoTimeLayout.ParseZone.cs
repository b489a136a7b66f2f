using System.Globalization;

namespace AgentFabric.Rego.GoCompat;

internal static partial class GoTimeLayout
{
    private static bool ParseNumericZone(ref ReadOnlySpan<char> v, Element element, ref ParseState s, out string? rangeError)
    {
        rangeError = null;
        if (element.IsIso8601 && v.Length >= 1 && v[0] == 'Z')
        {
            v = v[1..];
            s.Offset = 0;
            return true;
        }

        ReadOnlySpan<char> hh;
        ReadOnlySpan<char> mm = "00";
        ReadOnlySpan<char> ss = "00";
        switch (element.Kind)
        {
            case Kind.NumColonTZ:
                if (v.Length < 6 || v[3] != ':')
                {
                    return false;
                }

                hh = v[1..3];
                mm = v[4..6];
                break;
            case Kind.NumShortTZ:
                if (v.Length < 3)
                {
                    return false;
                }

                hh = v[1..3];
                break;
            case Kind.NumColonSecondsTZ:
                if (v.Length < 9 || v[3] != ':' || v[6] != ':')
                {
                    return false;
                }

                hh = v[1..3];
                mm = v[4..6];
                ss = v[7..9];
                break;
            case Kind.NumSecondsTZ:
                if (v.Length < 7)
                {
                    return false;
                }

                hh = v[1..3];
                mm = v[3..5];
                ss = v[5..7];
                break;
            default:
                if (v.Length < 5)
                {
                    return false;
                }

                hh = v[1..3];
                mm = v[3..5];
                break;
        }

        if (v[0] is not ('+' or '-') || !AllDigits(hh) || !AllDigits(mm) || !AllDigits(ss))
        {
            return false;
        }

        var h = int.Parse(hh, CultureInfo.InvariantCulture);
        var m = int.Parse(mm, CultureInfo.InvariantCulture);
        var sec = int.Parse(ss, CultureInfo.InvariantCulture);

        // Go accepts 24 hours and 60 minutes or seconds: some write offsets that way.
        rangeError = h > 24 ? "time zone offset hour" : m > 60 ? "time zone offset minute" : sec > 60 ? "time zone offset second" : null;
        var offset = (((h * 60) + m) * 60) + sec;
        s.Offset = v[0] == '-' ? -offset : offset;
        var consumed = element.Kind switch
        {
            Kind.NumColonTZ => 6,
            Kind.NumShortTZ => 3,
            Kind.NumColonSecondsTZ => 9,
            Kind.NumSecondsTZ => 7,
            _ => 5,
        };
        v = v[consumed..];
        return true;
    }

    // A zone abbreviation: UTC, GMT with an optional hour offset, ChST/MeST, +hh / -hh, or three to five upper-case
    // letters (four or five only when ending in T, or WITA). Abbreviations other than UTC and GMT+h resolve to
    // offset 0, as Go does for names the default (UTC) location does not know.
    private static bool ParseZoneName(ref ReadOnlySpan<char> v, ref ParseState s)
    {
        if (v.StartsWith("UTC"))
        {
            v = v[3..];
            s.Offset = 0;
            return true;
        }

        if (v.Length < 3)
        {
            return false;
        }

        int length;
        if (v.StartsWith("ChST") || v.StartsWith("MeST"))
        {
            length = 4;
        }
        else if (v.StartsWith("GMT"))
        {
            length = 3 + SignedOffsetLength(v[3..]);
            var hours = length > 3 ? int.Parse(v[3..length], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
            s.ZoneOffset = hours * 3600;
        }
        else if (v[0] is '+' or '-')
        {
            length = SignedOffsetLength(v);
            if (length == 0)
            {
                return false;
            }

            s.ZoneOffset = int.Parse(v[..length], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) * 3600;
        }
        else
        {
            var upper = 0;
            while (upper < 6 && upper < v.Length && v[upper] is >= 'A' and <= 'Z')
            {
                upper++;
            }

            length = upper switch
            {
                3 => 3,
                4 when v[3] == 'T' || v[..4].SequenceEqual("WITA") => 4,
                5 when v[4] == 'T' => 5,
                _ => 0,
            };
            if (length == 0)
            {
                return false;
            }
        }

        s.ZoneNamed = true;
        v = v[length..];
        return true;
    }

    // "+hh" or "-hh" (1-2 digits, at most 14 hours as Go's parseSignedOffset allows); 0 when absent.
    private static int SignedOffsetLength(ReadOnlySpan<char> v)
    {
        if (v.Length < 2 || v[0] is not ('+' or '-') || !char.IsAsciiDigit(v[1]))
        {
            return 0;
        }

        var end = 1;
        while (end < v.Length && char.IsAsciiDigit(v[end]))
        {
            end++;
        }

        var hours = int.TryParse(v[1..end], NumberStyles.None, CultureInfo.InvariantCulture, out var h) ? h : int.MaxValue;
        return hours > 23 ? 0 : end;
    }
}
