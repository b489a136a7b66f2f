using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Time;

internal static class TimeBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        var timeArg = RegoType.AnyOf(RegoType.Number, RegoType.Tuple(RegoType.Number, RegoType.String));
        var formatArg = RegoType.AnyOf(
            RegoType.Number,
            RegoType.Tuple(RegoType.Number, RegoType.String),
            RegoType.Tuple(RegoType.Number, RegoType.String, RegoType.String));
        var triple = RegoType.Tuple(RegoType.Number, RegoType.Number, RegoType.Number);

        r.Register("time.now_ns", [], RegoType.Number, static (ctx, _) => NumberValue.Create(ctx.NowNanoseconds), BuiltinFlags.Nondeterministic);
        r.Register("time.parse_ns", [RegoType.String, RegoType.String], RegoType.Number, TimeFunctions.ParseNs);
        r.Register("time.parse_rfc3339_ns", [RegoType.String], RegoType.Number, TimeFunctions.ParseRfc3339Ns);
        r.Register("time.parse_duration_ns", [RegoType.String], RegoType.Number,
            static (_, a) => NumberValue.Create(GoDuration.Parse(BuiltinArgs.String(a, 0))));
        r.Register("time.format", [formatArg], RegoType.String, TimeFunctions.Format);
        r.Register("time.date", [timeArg], triple, TimeFunctions.Date);
        r.Register("time.clock", [timeArg], triple, TimeFunctions.Clock);
        r.Register("time.weekday", [timeArg], RegoType.String,
            static (_, a) => StringValue.Create(GoTimeLayout.WeekdayName(TimeFunctions.ZonedTime(a[0]).Time.Weekday)));
        r.Register("time.add_date", [RegoType.Number, RegoType.Number, RegoType.Number, RegoType.Number], RegoType.Number, TimeFunctions.AddDate);
        r.Register("time.diff", [timeArg, timeArg], RegoType.Tuple(RegoType.Number, RegoType.Number, RegoType.Number, RegoType.Number, RegoType.Number, RegoType.Number), TimeFunctions.Diff);
    }
}

/// <summary>The time family, with Go's time semantics (layouts, durations, zones, normalization).</summary>
internal static class TimeFunctions
{
    public static Value ParseNs(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var layout = GoTimeLayout.Resolve(BuiltinArgs.String(a, 0));
        var value = BuiltinArgs.String(a, 1);
        var (seconds, nanos) = GoTimeLayout.Parse(layout, value);
        return ToUnixNanoseconds(seconds, nanos);
    }

    public static Value ParseRfc3339Ns(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var (seconds, nanos) = GoTimeLayout.Parse(GoTimeLayout.Rfc3339, BuiltinArgs.String(a, 0));
        return ToUnixNanoseconds(seconds, nanos);
    }

    public static Value Format(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var (time, _, layout) = ZonedTime(a[0]);
        layout = string.IsNullOrEmpty(layout) ? GoTimeLayout.Rfc3339Nano : GoTimeLayout.Resolve(layout);
        return StringValue.Create(GoTimeLayout.Format(time, layout));
    }

    public static Value Date(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var (year, month, day, _, _, _) = ZonedTime(a[0]).Time.Civil;
        return ArrayValue.Create(NumberValue.Create(year), NumberValue.Create(month), NumberValue.Create(day));
    }

    public static Value Clock(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var (_, _, _, hour, minute, second) = ZonedTime(a[0]).Time.Civil;
        return ArrayValue.Create(NumberValue.Create(hour), NumberValue.Create(minute), NumberValue.Create(second));
    }

    // Go's AddDate: add to the civil fields, then normalize (Oct 31 + 1 month is Dec 1).
    public static Value AddDate(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var (time, zone, _) = ZonedTime(a[0]);
        var years = GoIntOperand.Read(a, 1);
        var months = GoIntOperand.Read(a, 2);
        var days = GoIntOperand.Read(a, 3);

        // Beyond a few million years every result is outside the nanosecond range; stop before long arithmetic
        // could overflow.
        const long Limit = 1L << 32;
        if (years is > Limit or < -Limit || months is > Limit or < -Limit || days is > Limit or < -Limit)
        {
            throw new RegoBuiltinException("time outside of valid range");
        }

        var (y, m, d, hh, mm, ss) = time.Civil;
        var result = GoTime.Date(y + years, m + months, d + days, hh, mm, ss, time.Nanosecond, zone);
        return ToUnixNanoseconds(result.UnixSeconds, result.Nanosecond);
    }

    // The calendar difference [years, months, days, hours, minutes, seconds] between two instants, both seen in
    // the first one's zone, borrowing from the larger unit when a field goes negative.
    public static Value Diff(BuiltinContext context, ReadOnlySpan<Value> a)
    {
        var (t1, zone, _) = ZonedTime(a[0]);
        var second = ZonedTime(a[1]).Time;
        var t2 = GoTime.At(second.UnixSeconds, second.Nanosecond, zone);
        if (t1.UnixSeconds > t2.UnixSeconds || (t1.UnixSeconds == t2.UnixSeconds && t1.Nanosecond > t2.Nanosecond))
        {
            (t1, t2) = (t2, t1);
        }

        var (y1, m1, d1, h1, n1, s1) = t1.Civil;
        var (y2, m2, d2, h2, n2, s2) = t2.Civil;
        var year = y2 - y1;
        long month = m2 - m1, day = d2 - d1, hour = h2 - h1, minute = n2 - n1, sec = s2 - s1;
        if (sec < 0)
        {
            sec += 60;
            minute--;
        }

        if (minute < 0)
        {
            minute += 60;
            hour--;
        }

        if (hour < 0)
        {
            hour += 24;
            day--;
        }

        if (day < 0)
        {
            day += GoTime.DaysIn(m1, y1);
            month--;
        }

        if (month < 0)
        {
            month += 12;
            year--;
        }

        return ArrayValue.Create(
            NumberValue.Create(year), NumberValue.Create(month), NumberValue.Create(day),
            NumberValue.Create(hour), NumberValue.Create(minute), NumberValue.Create(sec));
    }

    /// <summary>A time operand: nanoseconds since the epoch, or [ns, zone] / [ns, zone, layout].</summary>
    internal static (GoTime Time, GoZone Zone, string? Layout) ZonedTime(Value operand)
    {
        Value ns;
        var zone = GoZone.Utc;
        string? layout = null;
        switch (operand)
        {
            case NumberValue:
                ns = operand;
                break;
            case ArrayValue { Count: > 0 } arr:
                ns = arr[0] as NumberValue ?? throw BuiltinArgs.TypeMismatch(0, arr[0], "number");
                if (arr.Count > 1)
                {
                    zone = GoZone.Load(arr[1] is StringValue z ? z.Value : throw BuiltinArgs.TypeMismatch(0, arr[1], "string"));
                }

                if (arr.Count > 2)
                {
                    layout = arr[2] is StringValue l ? l.Value : throw BuiltinArgs.TypeMismatch(0, arr[2], "string");
                }

                break;
            default:
                throw BuiltinArgs.OperandError(0, $"must be either number (ns) or [number (ns), string (tz)] but got {operand.TypeName}");
        }

        if (!((NumberValue)ns).TryGetInt64(out var nanoseconds))
        {
            throw new RegoBuiltinException("timestamp too big");
        }

        return (GoTime.FromUnixNanoseconds(nanoseconds, zone), zone, layout);
    }

    // Nanoseconds since the epoch must fit in 64 bits (1677-09-21 to 2262-04-11).
    private static NumberValue ToUnixNanoseconds(long seconds, int nanos)
    {
        var total = ((Int128)seconds * 1_000_000_000) + nanos;
        if (total < long.MinValue || total > long.MaxValue)
        {
            throw new RegoBuiltinException("time outside of valid range");
        }

        return NumberValue.Create((long)total);
    }
}
