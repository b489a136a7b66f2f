namespace AgentFabric.Rego.GoCompat;

/// <summary>An instant seen in a zone, as Go's <c>time.Time</c>: whole seconds since the Unix epoch (any range),
/// nanoseconds within the second, and the zone's offset and abbreviation at that instant.</summary>
internal readonly record struct GoTime(long UnixSeconds, int Nanosecond, int Offset, string ZoneName)
{
    private const long SecondsPerDay = 86_400;

    /// <summary>The civil date and time in the zone.</summary>
    public (long Year, int Month, int Day, int Hour, int Minute, int Second) Civil
    {
        get
        {
            var local = UnixSeconds + Offset;
            var days = Math.DivRem(local, SecondsPerDay, out var secondOfDay);
            if (secondOfDay < 0)
            {
                secondOfDay += SecondsPerDay;
                days--;
            }

            var (y, m, d) = CivilFromDays(days);
            return (y, m, d, (int)(secondOfDay / 3600), (int)(secondOfDay / 60 % 60), (int)(secondOfDay % 60));
        }
    }

    /// <summary>Day of the week, 0 = Sunday.</summary>
    public int Weekday
    {
        get
        {
            var days = Math.DivRem(UnixSeconds + Offset, SecondsPerDay, out var rem);
            if (rem < 0)
            {
                days--;
            }

            // 1970-01-01 was a Thursday.
            return (int)(((days % 7) + 11) % 7);
        }
    }

    /// <summary>Day of the year, 1-366.</summary>
    public int YearDay
    {
        get
        {
            var (y, m, d, _, _, _) = Civil;
            return (int)(DaysFromCivil(y, m, d) - DaysFromCivil(y, 1, 1)) + 1;
        }
    }

    /// <summary>The time of the instant unixNanoseconds in a zone.</summary>
    public static GoTime FromUnixNanoseconds(long unixNanoseconds, GoZone zone)
    {
        var seconds = Math.DivRem(unixNanoseconds, 1_000_000_000L, out var nanos);
        if (nanos < 0)
        {
            nanos += 1_000_000_000L;
            seconds--;
        }

        return At(seconds, (int)nanos, zone);
    }

    public static GoTime At(long unixSeconds, int nanosecond, GoZone zone)
    {
        var (offset, name) = zone.Lookup(unixSeconds);
        return new GoTime(unixSeconds, nanosecond, offset, name);
    }

    /// <summary>Go's <c>time.Date</c>: fields out of range are normalized (month 13 is January of the next year,
    /// day 0 the last day of the previous month), then the wall time is resolved in the zone.</summary>
    public static GoTime Date(long year, long month, long day, long hour, long minute, long second, long nanosecond, GoZone zone)
    {
        var m = month - 1;
        year += FloorDiv(m, 12);
        m = FloorMod(m, 12);
        second += FloorDiv(nanosecond, 1_000_000_000);
        nanosecond = FloorMod(nanosecond, 1_000_000_000);
        minute += FloorDiv(second, 60);
        second = FloorMod(second, 60);
        hour += FloorDiv(minute, 60);
        minute = FloorMod(minute, 60);
        day += FloorDiv(hour, 24);
        hour = FloorMod(hour, 24);

        var days = DaysFromCivil(year, (int)m + 1, 1) + day - 1;
        var wall = (days * SecondsPerDay) + (hour * 3600) + (minute * 60) + second;

        // Resolve the wall time: guess the offset at the wall time read as UTC, and if the instant that gives
        // has another offset (a transition lies between), use that one.
        var (offset, _) = zone.Lookup(wall);
        if (offset != 0)
        {
            var (atUtc, _) = zone.Lookup(wall - offset);
            offset = atUtc;
        }

        return At(wall - offset, (int)nanosecond, zone);
    }

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (month 1-12).</summary>
    public static long DaysFromCivil(long year, int month, int day)
    {
        // H. Hinnant's days_from_civil: shift the year to start in March so leap days fall at its end.
        var y = month <= 2 ? year - 1 : year;
        var era = FloorDiv(y, 400);
        var yoe = y - (era * 400);
        var mp = (month + 9) % 12;
        var doy = ((153 * mp) + 2) / 5 + day - 1;
        var doe = (yoe * 365) + (yoe / 4) - (yoe / 100) + doy;
        return (era * 146_097) + doe - 719_468;
    }

    public static (long Year, int Month, int Day) CivilFromDays(long days)
    {
        var z = days + 719_468;
        var era = FloorDiv(z, 146_097);
        var doe = z - (era * 146_097);
        var yoe = (doe - (doe / 1460) + (doe / 36_524) - (doe / 146_096)) / 365;
        var doy = doe - ((365 * yoe) + (yoe / 4) - (yoe / 100));
        var mp = ((5 * doy) + 2) / 153;
        var d = (int)(doy - (((153 * mp) + 2) / 5) + 1);
        var m = (int)(mp < 10 ? mp + 3 : mp - 9);
        return ((yoe + (era * 400)) + (m <= 2 ? 1 : 0), m, d);
    }

    public static int DaysIn(int month, long year) => month switch
    {
        2 => (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    private static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);

    private static long FloorMod(long a, long b) => a - (FloorDiv(a, b) * b);
}
