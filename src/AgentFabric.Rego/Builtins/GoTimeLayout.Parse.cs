using System.Globalization;

namespace AgentFabric.Rego;

internal static partial class GoTimeLayout
{
    private static readonly string[] ShortDayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] ShortMonthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Go's <c>time.Parse(layout, value)</c> with UTC as the default zone: the instant as Unix seconds and
    /// nanoseconds (the seconds may lie far outside the nanosecond range; the caller checks). Errors carry Go's text,
    /// e.g. <c>parsing time "x" as "2006": cannot parse "x" as "2006"</c>.</summary>
    public static (long UnixSeconds, int Nanosecond) Parse(string layout, string value)
    {
        var state = new ParseState();
        var rest = value.AsSpan();
        var remainingLayout = layout.AsSpan();
        while (true)
        {
            var prefix = NextElement(remainingLayout, out var element, out var suffix);
            if (!Skip(ref rest, prefix))
            {
                throw Bad(layout, value, prefix, rest);
            }

            if (element.Kind == Kind.None)
            {
                if (rest.Length > 0)
                {
                    throw new RegoBuiltinException($"parsing time {GoQuote.Quote(value)}: extra text: {GoQuote.Quote(rest.ToString())}");
                }

                break;
            }

            remainingLayout = suffix;
            var elementStart = rest;
            if (!ParseElement(ref rest, element, suffix, ref state, out var rangeError))
            {
                throw Bad(layout, value, element.Text, elementStart);
            }

            if (rangeError is not null)
            {
                throw new RegoBuiltinException($"parsing time {GoQuote.Quote(value)}: {rangeError} out of range");
            }

        }

        return state.Resolve(value);
    }

    private static RegoBuiltinException Bad(string layout, string value, string layoutElement, ReadOnlySpan<char> valueElement) =>
        new($"parsing time {GoQuote.Quote(value)} as {GoQuote.Quote(layout)}: cannot parse {GoQuote.Quote(valueElement.ToString())} as {GoQuote.Quote(layoutElement)}");

    // Literal layout text must match; a space in the layout matches any run of spaces.
    private static bool Skip(ref ReadOnlySpan<char> value, string prefix)
    {
        var p = prefix.AsSpan();
        while (p.Length > 0)
        {
            if (p[0] == ' ')
            {
                if (value.Length > 0 && value[0] != ' ')
                {
                    return false;
                }

                p = p.TrimStart(' ');
                value = value.TrimStart(' ');
                continue;
            }

            if (value.Length == 0 || value[0] != p[0])
            {
                return false;
            }

            p = p[1..];
            value = value[1..];
        }

        return true;
    }

    private static bool ParseElement(ref ReadOnlySpan<char> v, Element element, ReadOnlySpan<char> layoutRest, ref ParseState s, out string? rangeError)
    {
        rangeError = null;
        int n;
        switch (element.Kind)
        {
            case Kind.Year:
                if (v.Length < 2 || !TryAtoi(v[..2], out n))
                {
                    return false;
                }

                s.Year = n >= 69 ? n + 1900 : n + 2000;
                v = v[2..];
                return true;
            case Kind.LongYear:
                if (v.Length < 4 || !char.IsAsciiDigit(v[0]) || !TryAtoi(v[..4], out n))
                {
                    return false;
                }

                s.Year = n;
                v = v[4..];
                return true;
            case Kind.Month or Kind.LongMonth:
                n = Lookup(ref v, element.Kind == Kind.Month ? ShortMonthNames : LongMonthNames);
                s.Month = n + 1;
                return n >= 0;
            case Kind.NumMonth or Kind.ZeroMonth:
                if (!GetNum(ref v, element.Kind == Kind.ZeroMonth, out n))
                {
                    return false;
                }

                s.Month = n;
                rangeError = n is < 1 or > 12 ? "month" : null;
                return true;
            case Kind.WeekDay or Kind.LongWeekDay:
                return Lookup(ref v, element.Kind == Kind.WeekDay ? ShortDayNames : LongDayNames) >= 0;
            case Kind.Day or Kind.UnderDay or Kind.ZeroDay:
                if (element.Kind == Kind.UnderDay && v.Length > 0 && v[0] == ' ')
                {
                    v = v[1..];
                }

                if (!GetNum(ref v, element.Kind == Kind.ZeroDay, out n))
                {
                    return false;
                }

                // The day is checked against the month once both are known.
                s.Day = n;
                return true;
            case Kind.UnderYearDay or Kind.ZeroYearDay:
                for (var i = 0; i < 2 && element.Kind == Kind.UnderYearDay && v.Length > 0 && v[0] == ' '; i++)
                {
                    v = v[1..];
                }

                if (!GetNum3(ref v, element.Kind == Kind.ZeroYearDay, out n))
                {
                    return false;
                }

                s.YearDay = n;
                rangeError = n is < 1 or > 366 ? "day-of-year" : null;
                return true;
            case Kind.Hour:
                if (!GetNum(ref v, false, out n))
                {
                    return false;
                }

                s.Hour = n;
                rangeError = n is < 0 or >= 24 ? "hour" : null;
                return true;
            case Kind.Hour12 or Kind.ZeroHour12:
                if (!GetNum(ref v, element.Kind == Kind.ZeroHour12, out n))
                {
                    return false;
                }

                s.Hour = n;
                rangeError = n is < 0 or > 12 ? "hour" : null;
                return true;
            case Kind.Minute or Kind.ZeroMinute:
                if (!GetNum(ref v, element.Kind == Kind.ZeroMinute, out n))
                {
                    return false;
                }

                s.Minute = n;
                rangeError = n is < 0 or >= 60 ? "minute" : null;
                return true;
            case Kind.Second or Kind.ZeroSecond:
                if (!GetNum(ref v, element.Kind == Kind.ZeroSecond, out n))
                {
                    return false;
                }

                s.Second = n;
                if (n is < 0 or >= 60)
                {
                    rangeError = "second";
                    return true;
                }

                // A fractional second in the value but not in the layout is accepted after the seconds.
                if (v.Length >= 2 && v[0] is '.' or ',' && char.IsAsciiDigit(v[1]))
                {
                    NextElement(layoutRest, out var nextElement, out _);
                    var next = nextElement.Kind;
                    if (next is Kind.FracSecond0 or Kind.FracSecond9)
                    {
                        return true;
                    }

                    var end = 2;
                    while (end < v.Length && char.IsAsciiDigit(v[end]))
                    {
                        end++;
                    }

                    s.Nanosecond = ParseNanoseconds(v[..end]);
                    v = v[end..];
                }

                return true;
            case Kind.PM or Kind.LowerPM:
            {
                if (v.Length < 2)
                {
                    return false;
                }

                var text = v[..2].ToString();
                var (pm, am) = element.Kind == Kind.PM ? ("PM", "AM") : ("pm", "am");
                if (text == pm)
                {
                    s.PmSet = true;
                }
                else if (text == am)
                {
                    s.AmSet = true;
                }
                else
                {
                    return false;
                }

                v = v[2..];
                return true;
            }

            case Kind.TZ:
                return ParseZoneName(ref v, ref s);
            case Kind.FracSecond0:
            {
                var length = 1 + element.Digits;
                if (v.Length < length || v[0] is not ('.' or ',') || !AllDigits(v[1..length]))
                {
                    return false;
                }

                s.Nanosecond = ParseNanoseconds(v[..length]);
                v = v[length..];
                return true;
            }

            case Kind.FracSecond9:
            {
                if (v.Length < 2 || v[0] is not ('.' or ',') || !char.IsAsciiDigit(v[1]))
                {
                    return true; // The fraction may be omitted.
                }

                var end = 1;
                while (end < v.Length && char.IsAsciiDigit(v[end]))
                {
                    end++;
                }

                s.Nanosecond = ParseNanoseconds(v[..end]);
                v = v[end..];
                return true;
            }

            default:
                return ParseNumericZone(ref v, element, ref s, out rangeError);
        }
    }

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

    // Case-insensitive match of one of the names (Go's lookup); the index or -1.
    private static int Lookup(ref ReadOnlySpan<char> v, string[] names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (v.Length >= names[i].Length && v[..names[i].Length].Equals(names[i], StringComparison.OrdinalIgnoreCase))
            {
                v = v[names[i].Length..];
                return i;
            }
        }

        return -1;
    }

    // One or two digits; exactly two when fixed.
    private static bool GetNum(ref ReadOnlySpan<char> v, bool fixedWidth, out int n)
    {
        n = 0;
        if (v.Length == 0 || !char.IsAsciiDigit(v[0]))
        {
            return false;
        }

        if (v.Length < 2 || !char.IsAsciiDigit(v[1]))
        {
            if (fixedWidth)
            {
                return false;
            }

            n = v[0] - '0';
            v = v[1..];
            return true;
        }

        n = ((v[0] - '0') * 10) + (v[1] - '0');
        v = v[2..];
        return true;
    }

    // One to three digits; exactly three when fixed.
    private static bool GetNum3(ref ReadOnlySpan<char> v, bool fixedWidth, out int n)
    {
        n = 0;
        var i = 0;
        while (i < 3 && i < v.Length && char.IsAsciiDigit(v[i]))
        {
            n = (n * 10) + (v[i] - '0');
            i++;
        }

        if (i == 0 || (fixedWidth && i != 3))
        {
            return false;
        }

        v = v[i..];
        return true;
    }

    // ".123" → 123000000; digits beyond nanoseconds are dropped.
    private static int ParseNanoseconds(ReadOnlySpan<char> fraction)
    {
        var digits = fraction[1..];
        if (digits.Length > 9)
        {
            digits = digits[..9];
        }

        var n = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        for (var i = digits.Length; i < 9; i++)
        {
            n *= 10;
        }

        return n;
    }

    private static bool TryAtoi(ReadOnlySpan<char> s, out int n) =>
        int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n);

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private struct ParseState
    {
        public ParseState()
        {
        }

        public long Year { get; set; }

        public int Month { get; set; } = -1;

        public int Day { get; set; } = -1;

        public int YearDay { get; set; } = -1;

        public int Hour { get; set; }

        public int Minute { get; set; }

        public int Second { get; set; }

        public int Nanosecond { get; set; }

        public bool PmSet { get; set; }

        public bool AmSet { get; set; }

        public int? Offset { get; set; }

        public bool ZoneNamed { get; set; }

        public int ZoneOffset { get; set; }

        public readonly (long UnixSeconds, int Nanosecond) Resolve(string value)
        {
            var hour = Hour;
            if (PmSet && hour < 12)
            {
                hour += 12;
            }
            else if (AmSet && hour == 12)
            {
                hour = 0;
            }

            var month = Month;
            var day = Day;
            if (YearDay >= 0)
            {
                // Day of year: derive month and day, and they must agree with any given ones.
                var leap = GoTime.DaysIn(2, Year) == 29;
                if (YearDay > (leap ? 366 : 365))
                {
                    throw new RegoBuiltinException($"parsing time {GoQuote.Quote(value)}: day-of-year out of range");
                }

                var (_, m, d) = GoTime.CivilFromDays(GoTime.DaysFromCivil(Year, 1, 1) + YearDay - 1);
                if ((month >= 0 && month != m) || (day >= 0 && day != d))
                {
                    throw new RegoBuiltinException($"parsing time {GoQuote.Quote(value)}: day-of-year does not match " + (month >= 0 && month != m ? "month" : "day"));
                }

                (month, day) = (m, d);
            }
            else
            {
                month = month < 0 ? 1 : month;
                day = day < 0 ? 1 : day;
            }

            if (day < 1 || day > GoTime.DaysIn(month, Year))
            {
                throw new RegoBuiltinException($"parsing time {GoQuote.Quote(value)}: day out of range");
            }

            var wall = (GoTime.DaysFromCivil(Year, month, day) * 86_400) + (hour * 3600L) + (Minute * 60L) + Second;
            var offset = Offset ?? (ZoneNamed ? ZoneOffset : 0);
            return (wall - offset, Nanosecond);
        }
    }
}
