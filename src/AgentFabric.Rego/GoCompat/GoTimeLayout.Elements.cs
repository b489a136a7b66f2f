namespace AgentFabric.Rego.GoCompat;

internal static partial class GoTimeLayout
{
    private enum Kind
    {
        None,
        LongMonth,
        Month,
        NumMonth,
        ZeroMonth,
        LongWeekDay,
        WeekDay,
        Day,
        UnderDay,
        ZeroDay,
        UnderYearDay,
        ZeroYearDay,
        Hour,
        Hour12,
        ZeroHour12,
        Minute,
        ZeroMinute,
        Second,
        ZeroSecond,
        LongYear,
        Year,
        PM,
        LowerPM,
        TZ,
        NumTZ,
        NumSecondsTZ,
        NumShortTZ,
        NumColonTZ,
        NumColonSecondsTZ,
        FracSecond0,
        FracSecond9,
    }

    /// <summary>A layout element: its kind, its text in the layout, whether it is a Z form (Z07:00) and, for
    /// fractional seconds, the separator and digit count.</summary>
    private readonly record struct Element(Kind Kind, string Text, bool IsIso8601 = false, char Separator = '.', int Digits = 0);

    // Go's nextStdChunk: the literal text before the first element, the element, and the rest of the layout.
    private static string NextElement(ReadOnlySpan<char> layout, out Element element, out ReadOnlySpan<char> suffix)
    {
        for (var i = 0; i < layout.Length; i++)
        {
            var rest = layout[i..];
            Element? found = layout[i] switch
            {
                'J' when rest.StartsWith("January") => new(Kind.LongMonth, "January"),
                'J' when rest.StartsWith("Jan") && !StartsWithLower(rest[3..]) => new(Kind.Month, "Jan"),
                'M' when rest.StartsWith("Monday") => new(Kind.LongWeekDay, "Monday"),
                'M' when rest.StartsWith("Mon") && !StartsWithLower(rest[3..]) => new(Kind.WeekDay, "Mon"),
                'M' when rest.StartsWith("MST") => new(Kind.TZ, "MST"),
                '0' when rest.StartsWith("002") => new(Kind.ZeroYearDay, "002"),
                '0' when rest.Length > 1 && rest[1] is >= '1' and <= '6' => rest[1] switch
                {
                    '1' => new(Kind.ZeroMonth, "01"),
                    '2' => new(Kind.ZeroDay, "02"),
                    '3' => new(Kind.ZeroHour12, "03"),
                    '4' => new(Kind.ZeroMinute, "04"),
                    '5' => new(Kind.ZeroSecond, "05"),
                    _ => new(Kind.Year, "06"),
                },
                '1' when rest.StartsWith("15") => new(Kind.Hour, "15"),
                '1' => new(Kind.NumMonth, "1"),
                '2' when rest.StartsWith("2006") => new(Kind.LongYear, "2006"),
                '2' => new(Kind.Day, "2"),
                '_' when rest.StartsWith("_2") && rest.StartsWith("_2006") => null, // "_" then the year 2006
                '_' when rest.StartsWith("__2") => new(Kind.UnderYearDay, "__2"),
                '_' when rest.StartsWith("_2") => new(Kind.UnderDay, "_2"),
                '3' => new(Kind.Hour12, "3"),
                '4' => new(Kind.Minute, "4"),
                '5' => new(Kind.Second, "5"),
                'P' when rest.StartsWith("PM") => new(Kind.PM, "PM"),
                'p' when rest.StartsWith("pm") => new(Kind.LowerPM, "pm"),
                '-' => NumericZone(rest, iso: false),
                'Z' => NumericZone(rest, iso: true),
                '.' or ',' => Fraction(rest),
                _ => null,
            };

            if (found is { } e)
            {
                element = e;
                suffix = layout[(i + e.Text.Length)..];
                return layout[..i].ToString();
            }
        }

        element = new Element(Kind.None, string.Empty);
        suffix = [];
        return layout.ToString();
    }

    // "Mon" and "Jan" are elements only when no lower-case letter follows ("Month" is literal text).
    private static bool StartsWithLower(ReadOnlySpan<char> s) => s.Length > 0 && s[0] is >= 'a' and <= 'z';

    private static Element? NumericZone(ReadOnlySpan<char> rest, bool iso)
    {
        var sign = iso ? "Z" : "-";
        (string Tail, Kind Kind)[] forms =
        [
            ("070000", Kind.NumSecondsTZ),
            ("07:00:00", Kind.NumColonSecondsTZ),
            ("0700", Kind.NumTZ),
            ("07:00", Kind.NumColonTZ),
            ("07", Kind.NumShortTZ),
        ];
        foreach (var (tail, kind) in forms)
        {
            var text = sign + tail;
            if (rest.StartsWith(text))
            {
                return new Element(kind, text, iso);
            }
        }

        return null;
    }

    // ".000" / ",999": a separator, a run of one digit kind, not followed by another digit.
    private static Element? Fraction(ReadOnlySpan<char> rest)
    {
        if (rest.Length < 2 || rest[1] is not ('0' or '9'))
        {
            return null;
        }

        var digit = rest[1];
        var j = 1;
        while (j < rest.Length && rest[j] == digit)
        {
            j++;
        }

        if (j < rest.Length && char.IsAsciiDigit(rest[j]))
        {
            return null;
        }

        return new Element(digit == '0' ? Kind.FracSecond0 : Kind.FracSecond9, rest[..j].ToString(), Separator: rest[0], Digits: Math.Min(j - 1, 9));
    }
}
