namespace AgentFabric.Rego.GoCompat;

internal static partial class GoTimeLayout
{
    // The fields gathered while parsing; Resolve validates them and computes the instant.
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
