using System.Collections.Concurrent;

namespace AgentFabric.Rego.GoCompat;

/// <summary>A time zone as Go's <c>time.Location</c>: UTC, a fixed offset, or an IANA zone from the system's
/// time zone database (through <see cref="TimeZoneInfo"/>, whose names are the TZif abbreviations such as PST).</summary>
internal sealed class GoZone
{
    private static readonly ConcurrentDictionary<string, GoZone> Loaded = new(StringComparer.Ordinal);

    private readonly TimeZoneInfo? _zone;
    private readonly int _fixedOffset;
    private readonly string _fixedName;

    private GoZone(TimeZoneInfo? zone, int fixedOffset, string fixedName)
    {
        _zone = zone;
        _fixedOffset = fixedOffset;
        _fixedName = fixedName;
    }

    public static GoZone Utc { get; } = new(null, 0, "UTC");

    public static GoZone Fixed(string name, int offsetSeconds) => new(null, offsetSeconds, name);

    /// <summary>Go's <c>time.LoadLocation</c>: "" and "UTC" are UTC, "Local" the machine's zone, anything else an
    /// IANA name; an unknown name throws Go's <c>unknown time zone NAME</c>.</summary>
    public static GoZone Load(string name)
    {
        switch (name)
        {
            case "" or "UTC":
                return Utc;
            case "Local":
                return new GoZone(TimeZoneInfo.Local, 0, string.Empty);
        }

        // Go refuses names that could escape the zoneinfo directory.
        if (name.Contains("..", StringComparison.Ordinal) || name[0] is '/' or '\\')
        {
            throw new RegoBuiltinException("time: invalid location name");
        }

        return Loaded.GetOrAdd(name, static n =>
        {
            try
            {
                return new GoZone(TimeZoneInfo.FindSystemTimeZoneById(n), 0, string.Empty);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                throw new RegoBuiltinException($"unknown time zone {n}", e);
            }
        });
    }

    /// <summary>The offset (seconds east of UTC) and abbreviation in effect at an instant.</summary>
    public (int Offset, string Name) Lookup(long unixSeconds)
    {
        if (_zone is null)
        {
            return (_fixedOffset, _fixedName);
        }

        // TimeZoneInfo covers years 1-9999; outside that the nearest edge's rules apply.
        var clamped = Math.Clamp(unixSeconds, -62_135_596_800L, 253_402_300_799L);
        var instant = DateTimeOffset.FromUnixTimeSeconds(clamped);
        var offset = (int)_zone.GetUtcOffset(instant).TotalSeconds;
        if (_zone.Id is "UTC" or "Etc/UTC")
        {
            return (offset, "UTC");
        }

        var name = _zone.IsDaylightSavingTime(instant) ? _zone.DaylightName : _zone.StandardName;
        return (offset, name);
    }
}
