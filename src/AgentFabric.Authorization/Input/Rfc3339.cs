namespace AgentFabric.Authorization.Input;

/// <summary>Go's <c>time.RFC3339Nano</c> in UTC (<c>2019-06-03T20:07:16.939402185Z</c>): fractional seconds without
/// trailing zeros, none at all on a whole second. OPA writes decision-log timestamps this way.</summary>
internal static class Rfc3339
{
    // Written digit by digit: every decision's input carries the time, and a format string is parsed on every call.
    public static string FormatNano(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var fraction = (int)(utc.Ticks % TimeSpan.TicksPerSecond); // 7 digits of 100 ns
        var digits = 7;
        while (digits > 0 && fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }

        return string.Create(20 + (digits == 0 ? 0 : digits + 1), (utc, fraction, digits), static (span, state) =>
        {
            var (t, f, n) = state;
            Write(span[..4], t.Year);
            span[4] = '-';
            Write(span.Slice(5, 2), t.Month);
            span[7] = '-';
            Write(span.Slice(8, 2), t.Day);
            span[10] = 'T';
            Write(span.Slice(11, 2), t.Hour);
            span[13] = ':';
            Write(span.Slice(14, 2), t.Minute);
            span[16] = ':';
            Write(span.Slice(17, 2), t.Second);
            if (n > 0)
            {
                span[19] = '.';
                Write(span.Slice(20, n), f);
            }

            span[^1] = 'Z';
        });
    }

    public static long UnixNanoseconds(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;

    // Zero-padded to the span's length.
    private static void Write(Span<char> span, int value)
    {
        for (var i = span.Length - 1; i >= 0; i--)
        {
            span[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }
}
