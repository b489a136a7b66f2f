using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

using static AgentFabric.Rego.Tests.Builtins.CollectionBuiltinsHarness;
using Microsoft.Extensions.Time.Testing;

namespace AgentFabric.Rego.Tests.Builtins.Time;

public class TimeBuiltinsTests
{
    // 2022-12-02T18:40:53.141828752Z
    private const string Instant = "1670006453141828752";

    [Theory]
    [InlineData(Instant, "2022-12-02T18:40:53.141828752Z")]
    [InlineData("[" + Instant + ", \"Asia/Kolkata\"]", "2022-12-03T00:10:53.141828752+05:30")]
    [InlineData("[0, \"UTC\", \"Mon Jan _2 15:04:05 MST 2006\"]", "Thu Jan  1 00:00:00 UTC 1970")]
    [InlineData("[" + Instant + ", \"America/Los_Angeles\", \"2006-01-02 03:04:05.000 PM MST\"]", "2022-12-02 10:40:53.141 AM PST")]
    [InlineData("[" + Instant + ", \"America/Los_Angeles\", \"Jan 2 '06 at 3:04pm (-07:00:00) .999\"]", "Dec 2 '22 at 10:40am (-08:00:00) .141")]
    [InlineData("[" + Instant + ", \"Asia/Kolkata\", \"RFC1123Z\"]", "Sat, 03 Dec 2022 00:10:53 +0530")]
    [InlineData("[" + Instant + ", \"UTC\", \"Monday, 002 __2 _2 ,000000 Z07\"]", "Friday, 336 336  2 ,141828 Z")]
    [InlineData("[" + Instant + ", \"UTC\", \"Month _2006\"]", "Month _2022")]
    [InlineData("[1000000000, \"UTC\", \"RFC3339Nano\"]", "1970-01-01T00:00:01Z")]
    [InlineData("[-1, \"UTC\", \"RFC3339Nano\"]", "1969-12-31T23:59:59.999999999Z")]
    public void Format(string operand, string expected) => AssertResult($"\"{expected}\"", "time.format", operand);

    [Theory]
    [InlineData("RFC3339", "2017-06-02T19:00:00-07:00", "1496455200000000000")]
    [InlineData("2006-01-02T15:04:05Z07:00", "1677-09-21T00:12:43.145224192-00:00", "-9223372036854775808")]
    [InlineData("01/02 03:04:05PM '06 -0700", "06/02 07:00:00PM '17 -0700", "1496455200000000000")]
    [InlineData("RFC822Z", "02 Jun 17 19:00 -0700", "1496455200000000000")]
    [InlineData("2006-01-02", "2017-06-03", "1496448000000000000")]
    [InlineData("2006-01-02 15:04:05", "2017-06-03 00:00:00.25", "1496448000250000000")]
    [InlineData("Jan _2 2006 MST", "jun  3 2017 UTC", "1496448000000000000")]
    [InlineData("Jan 2 2006 MST", "Jun 3 2017 GMT+1", "1496444400000000000")]
    [InlineData("2006-002", "2017-154", "1496448000000000000")]
    public void ParseNs(string layout, string value, string expected) => AssertResult(expected, "time.parse_ns", $"\"{layout}\"", $"\"{value}\"");

    [Theory]
    [InlineData("2006-01-02", "2017-13-02", "parsing time \"2017-13-02\": month out of range")]
    [InlineData("2006-01-02", "2017-02-30", "parsing time \"2017-02-30\": day out of range")]
    [InlineData("2006-01-02", "2017-02-03x", "parsing time \"2017-02-03x\": extra text: \"x\"")]
    [InlineData("2006-01-02 15:04:05.000", "2017-06-02 19:00:00.5", "parsing time \"2017-06-02 19:00:00.5\" as \"2006-01-02 15:04:05.000\": cannot parse \".5\" as \".000\"")]
    [InlineData("2006-01-02", "17-06-02", "parsing time \"17-06-02\" as \"2006-01-02\": cannot parse \"17-06-02\" as \"2006\"")]
    [InlineData("2006-01-02T15:04:05Z07:00", "2262-04-11T23:47:16.854775808-00:00", "time outside of valid range")]
    [InlineData("15:04", "10:30", "time outside of valid range")]
    public void ParseNs_Errors(string layout, string value, string message) =>
        AssertError(RegoErrorCodes.BuiltinError, message, "time.parse_ns", $"\"{layout}\"", $"\"{value}\"");

    [Theory]
    [InlineData("100ms", "100000000")]
    [InlineData("1h30m", "5400000000000")]
    [InlineData("-1.5s", "-1500000000")]
    [InlineData("1.0000000001s", "1000000000")]
    [InlineData("2µs", "2000")]
    [InlineData("0", "0")]
    [InlineData("1d2h", "93600000000000")]
    [InlineData("1w", "604800000000000")]
    [InlineData("1y", "31536000000000000")]
    [InlineData("-9223372036854775808ns", "-9223372036854775808")]
    public void ParseDuration(string text, string expected) => AssertResult(expected, "time.parse_duration_ns", $"\"{text}\"");

    [Theory]
    [InlineData("1", "time: missing unit in duration \"1\"")]
    [InlineData("1x", "time: unknown unit \"x\" in duration \"1x\"")]
    [InlineData("", "time: invalid duration \"\"")]
    [InlineData(".s", "time: invalid duration \".s\"")]
    [InlineData("9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\"")]
    public void ParseDuration_Errors(string text, string message) =>
        AssertError(RegoErrorCodes.BuiltinError, message, "time.parse_duration_ns", $"\"{text}\"");

    [Theory]
    [InlineData("time.date", "1517814000000000000", "[2018, 2, 5]")]
    [InlineData("time.date", "[1517814000000000000, \"America/Los_Angeles\"]", "[2018, 2, 4]")]
    [InlineData("time.clock", "[1517832000000000000, \"America/New_York\"]", "[7, 0, 0]")]
    [InlineData("time.clock", "-1", "[23, 59, 59]")]
    [InlineData("time.weekday", "1517832000000000000", "\"Monday\"")]
    [InlineData("time.weekday", "-1", "\"Wednesday\"")]
    public void Calendar(string name, string operand, string expected) => AssertResult(expected, name, operand);

    [Theory]
    [InlineData("1612051200000000000", "0", "1", "0", "1614729600000000000")] // 2021-01-31 + 1 month = 2021-03-03
    [InlineData("1585852421593912000", "3", "9", "12", "1705257221593912000")]
    [InlineData("1585852421593912000", "-1", "-1", "-1", "1551465221593912000")]
    public void AddDate_Normalizes(string ns, string years, string months, string days, string expected) =>
        AssertResult(expected, "time.add_date", ns, years, months, days);

    [Theory]
    [InlineData("1580601600000000000", "1583020800000000000", "[0, 0, 28, 0, 0, 0]")] // 2020-02-02 .. 2020-03-01
    [InlineData("1583020800000000000", "1580601600000000000", "[0, 0, 28, 0, 0, 0]")]
    [InlineData("1078012800000000000", "1109635200000000000", "[1, 0, 1, 0, 0, 0]")] // 2004-02-29 .. 2005-03-01
    [InlineData("[61000000000, \"UTC\"]", "[0, \"Asia/Shanghai\"]", "[0, 0, 0, 0, 1, 1]")]
    public void Diff(string a, string b, string expected) => AssertResult(expected, "time.diff", a, b);

    [Theory]
    [InlineData("time.date", "15829776000000000000000", RegoErrorCodes.BuiltinError, "timestamp too big")]
    [InlineData("time.date", "1.5", RegoErrorCodes.BuiltinError, "timestamp too big")]
    [InlineData("time.date", "[0, \"Foo/Bar\"]", RegoErrorCodes.BuiltinError, "unknown time zone Foo/Bar")]
    [InlineData("time.date", "[0, \"../etc/passwd\"]", RegoErrorCodes.BuiltinError, "time: invalid location name")]
    [InlineData("time.date", "\"x\"", RegoErrorCodes.EvalTypeError, "operand 1 must be either number (ns) or [number (ns), string (tz)] but got string")]
    [InlineData("time.date", "[\"x\"]", RegoErrorCodes.EvalTypeError, "operand 1 must be number but got string")]
    [InlineData("time.weekday", "[]", RegoErrorCodes.EvalTypeError, "operand 1 must be either number (ns) or [number (ns), string (tz)] but got array")]
    public void OperandErrors(string name, string operand, string code, string message) => AssertError(code, message, name, operand);

    [Theory]
    [InlineData("2262", "1", "1")]
    [InlineData("9223372036854775807", "0", "0")]
    [InlineData("0", "-9223372036854775808", "0")]
    [InlineData("4294967295", "4294967295", "4294967295")]
    public void AddDate_OutOfRange(string years, string months, string days) =>
        AssertError(RegoErrorCodes.BuiltinError, "time outside of valid range", "time.add_date", "0", years, months, days);

    [Fact]
    public void NowNs_ComesFromTheContextClock()
    {
        var ctx = new BuiltinContext(new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_500)));
        Assert.Equal(NumberValue.Create(1_500_000_000L), CallWith(ctx, "time.now_ns"));
    }
}
