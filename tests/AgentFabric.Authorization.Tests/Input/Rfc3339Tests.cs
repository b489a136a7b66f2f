using System.Globalization;
using AgentFabric.Authorization.Input;

namespace AgentFabric.Authorization.Tests.Input;

/// <summary>Go's RFC3339Nano as OPA writes it: UTC, fraction without trailing zeros, none on a whole second.</summary>
public sealed class Rfc3339Tests
{
    [Theory]
    [InlineData("2019-06-03T20:07:16.0000000+00:00", "2019-06-03T20:07:16Z")]
    [InlineData("2019-06-03T20:07:16.9394021+00:00", "2019-06-03T20:07:16.9394021Z")]
    [InlineData("2019-06-03T20:07:16.5000000+00:00", "2019-06-03T20:07:16.5Z")]
    [InlineData("2019-06-03T20:07:16.0000001+00:00", "2019-06-03T20:07:16.0000001Z")]
    [InlineData("2019-06-03T22:07:16.1200000+02:00", "2019-06-03T20:07:16.12Z")]
    [InlineData("0001-01-01T00:00:00.0000000+00:00", "0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59.9999999+00:00", "9999-12-31T23:59:59.9999999Z")]
    public void FormatNano(string time, string expected) =>
        Assert.Equal(expected, Rfc3339.FormatNano(DateTimeOffset.Parse(time, CultureInfo.InvariantCulture)));

    [Fact]
    public void FormatNano_MatchesTheFormatStringOnRandomTimes()
    {
        var random = new Random(20261206);
        for (var i = 0; i < 10_000; i++)
        {
            var time = new DateTimeOffset(random.NextInt64(DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero);
            var text = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            var fraction = (time.UtcTicks % TimeSpan.TicksPerSecond).ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
            Assert.Equal(fraction.Length == 0 ? text + "Z" : $"{text}.{fraction}Z", Rfc3339.FormatNano(time));
        }
    }

    [Fact]
    public void UnixNanoseconds() =>
        Assert.Equal(1_559_592_436_939_402_100, Rfc3339.UnixNanoseconds(DateTimeOffset.Parse("2019-06-03T20:07:16.9394021Z", CultureInfo.InvariantCulture)));
}
