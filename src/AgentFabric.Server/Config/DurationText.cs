using System.Globalization;

namespace AgentFabric.Server.Config;

/// <summary>
/// Durations as SPIRE writes them in server.conf ("1h", "5m", "30s", "1h30m", "24h"); a bare number is seconds, as
/// SPIRE's CLI TTL flags are.
/// </summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }

        var total = 0d;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            double unitSeconds = s[unitStart..i] switch
            {
                "ms" => 0.001,
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                "d" => 86400,
                _ => -1,
            };
            if (unitSeconds < 0)
            {
                return false;
            }

            total += value * unitSeconds;
        }

        duration = TimeSpan.FromSeconds(total);
        return true;
    }

    public static string Format(TimeSpan duration) =>
        duration.TotalSeconds % 3600 == 0 ? $"{(long)duration.TotalHours}h"
        : duration.TotalSeconds % 60 == 0 ? $"{(long)duration.TotalMinutes}m"
        : $"{(long)duration.TotalSeconds}s";
}
