using System.Globalization;
using System.Text;

namespace AgentFabric.Rego.GoCompat;

/// <summary>Go's reference-time layout language (<c>Mon Jan 2 15:04:05 MST 2006</c>): a layout is literal text
/// interleaved with elements (<c>2006</c> the year, <c>Z07:00</c> the zone offset, <c>.000</c> fixed fractional
/// seconds...). This file splits layouts into elements and formats; GoTimeLayout.Parse.cs parses.</summary>
internal static partial class GoTimeLayout
{
    public const string Rfc3339 = "2006-01-02T15:04:05Z07:00";
    public const string Rfc3339Nano = "2006-01-02T15:04:05.999999999Z07:00";

    private static readonly string[] LongDayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] LongMonthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    /// <summary>The named layouts OPA accepts in place of a layout (Go's time package constants).</summary>
    public static string Resolve(string layout) => layout switch
    {
        "ANSIC" => "Mon Jan _2 15:04:05 2006",
        "UnixDate" => "Mon Jan _2 15:04:05 MST 2006",
        "RubyDate" => "Mon Jan 02 15:04:05 -0700 2006",
        "RFC822" => "02 Jan 06 15:04 MST",
        "RFC822Z" => "02 Jan 06 15:04 -0700",
        "RFC850" => "Monday, 02-Jan-06 15:04:05 MST",
        "RFC1123" => "Mon, 02 Jan 2006 15:04:05 MST",
        "RFC1123Z" => "Mon, 02 Jan 2006 15:04:05 -0700",
        "RFC3339" => Rfc3339,
        "RFC3339Nano" => Rfc3339Nano,
        _ => layout,
    };

    public static string WeekdayName(int weekday) => LongDayNames[weekday];

    /// <summary>Go's <c>Time.Format</c>.</summary>
    public static string Format(GoTime t, string layout)
    {
        var (year, month, day, hour, minute, second) = t.Civil;
        var sb = new StringBuilder(layout.Length + 10);
        var rest = layout.AsSpan();
        while (rest.Length > 0)
        {
            var prefix = NextElement(rest, out var element, out var suffix);
            sb.Append(prefix);
            if (element.Kind == Kind.None)
            {
                break;
            }

            rest = suffix;
            switch (element.Kind)
            {
                case Kind.Year:
                    AppendInt(sb, FloorMod(year, 100), 2);
                    break;
                case Kind.LongYear:
                    AppendInt(sb, year, 4);
                    break;
                case Kind.Month:
                    sb.Append(LongMonthNames[month - 1].AsSpan(0, 3));
                    break;
                case Kind.LongMonth:
                    sb.Append(LongMonthNames[month - 1]);
                    break;
                case Kind.NumMonth:
                    AppendInt(sb, month, 0);
                    break;
                case Kind.ZeroMonth:
                    AppendInt(sb, month, 2);
                    break;
                case Kind.WeekDay:
                    sb.Append(LongDayNames[t.Weekday].AsSpan(0, 3));
                    break;
                case Kind.LongWeekDay:
                    sb.Append(LongDayNames[t.Weekday]);
                    break;
                case Kind.Day:
                    AppendInt(sb, day, 0);
                    break;
                case Kind.UnderDay:
                    if (day < 10)
                    {
                        sb.Append(' ');
                    }

                    AppendInt(sb, day, 0);
                    break;
                case Kind.ZeroDay:
                    AppendInt(sb, day, 2);
                    break;
                case Kind.UnderYearDay:
                    var yd = t.YearDay;
                    sb.Append(yd < 10 ? "  " : yd < 100 ? " " : string.Empty);
                    AppendInt(sb, yd, 0);
                    break;
                case Kind.ZeroYearDay:
                    AppendInt(sb, t.YearDay, 3);
                    break;
                case Kind.Hour:
                    AppendInt(sb, hour, 2);
                    break;
                case Kind.Hour12:
                    AppendInt(sb, hour % 12 == 0 ? 12 : hour % 12, 0);
                    break;
                case Kind.ZeroHour12:
                    AppendInt(sb, hour % 12 == 0 ? 12 : hour % 12, 2);
                    break;
                case Kind.Minute:
                    AppendInt(sb, minute, 0);
                    break;
                case Kind.ZeroMinute:
                    AppendInt(sb, minute, 2);
                    break;
                case Kind.Second:
                    AppendInt(sb, second, 0);
                    break;
                case Kind.ZeroSecond:
                    AppendInt(sb, second, 2);
                    break;
                case Kind.PM:
                    sb.Append(hour >= 12 ? "PM" : "AM");
                    break;
                case Kind.LowerPM:
                    sb.Append(hour >= 12 ? "pm" : "am");
                    break;
                case Kind.TZ:
                    if (t.ZoneName.Length > 0)
                    {
                        sb.Append(t.ZoneName);
                    }
                    else
                    {
                        // No abbreviation known: Go prints the offset as -0700.
                        AppendOffset(sb, t.Offset, Kind.NumTZ);
                    }

                    break;
                case Kind.FracSecond0 or Kind.FracSecond9:
                    AppendFraction(sb, t.Nanosecond, element);
                    break;
                default:
                    // The Z forms print "Z" for UTC, the numeric offset otherwise.
                    if (element.IsIso8601 && t.Offset == 0)
                    {
                        sb.Append('Z');
                    }
                    else
                    {
                        AppendOffset(sb, t.Offset, element.Kind);
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    private static void AppendOffset(StringBuilder sb, int offset, Kind kind)
    {
        var minutes = offset / 60;
        var abs = offset;
        if (minutes < 0)
        {
            sb.Append('-');
            minutes = -minutes;
            abs = -abs;
        }
        else
        {
            sb.Append('+');
        }

        AppendInt(sb, minutes / 60, 2);
        var colon = kind is Kind.NumColonTZ or Kind.NumColonSecondsTZ;
        if (kind != Kind.NumShortTZ)
        {
            if (colon)
            {
                sb.Append(':');
            }

            AppendInt(sb, minutes % 60, 2);
        }

        if (kind is Kind.NumSecondsTZ or Kind.NumColonSecondsTZ)
        {
            if (colon)
            {
                sb.Append(':');
            }

            AppendInt(sb, abs % 60, 2);
        }
    }

    // .000 prints exactly n digits (truncated); .999 prints up to n digits without trailing zeros, nothing at all
    // when they are all zero.
    private static void AppendFraction(StringBuilder sb, int nanosecond, Element element)
    {
        var digits = nanosecond.ToString("D9", CultureInfo.InvariantCulture)[..element.Digits];
        if (element.Kind == Kind.FracSecond9)
        {
            digits = digits.TrimEnd('0');
            if (digits.Length == 0)
            {
                return;
            }
        }

        sb.Append(element.Separator).Append(digits);
    }

    private static void AppendInt(StringBuilder sb, long value, int width)
    {
        if (value < 0)
        {
            sb.Append('-');
            value = -value;
        }

        var text = value.ToString(CultureInfo.InvariantCulture);
        for (var i = text.Length; i < width; i++)
        {
            sb.Append('0');
        }

        sb.Append(text);
    }

    private static long FloorMod(long a, long b) => ((a % b) + b) % b;
}
