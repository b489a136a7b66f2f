using System.Globalization;

namespace AgentFabric.Authorization.Input;

/// <summary>Go's <c>time.RFC3339Nano</c> in UTC (<c>2019-06-03T20:07:16.939402185Z</c>): fractional seconds without
/// trailing zeros, none at all on a whole second. OPA writes decision-log timestamps this way.</summary>
internal static class Rfc3339
{
    public static string FormatNano(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var ticks = utc.Ticks % TimeSpan.TicksPerSecond;
        return ticks == 0 ? text + "Z" : $"{text}.{ticks.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0')}Z";
    }

    public static long UnixNanoseconds(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
}
