using static AgentFabric.Rego.Tests.Builtins.CollectionBuiltinsHarness;

namespace AgentFabric.Rego.Tests.Builtins.Net;

public class NetBuiltinsTests
{
    [Theory]
    [InlineData("net.cidr_contains", "\"10.0.0.0/8\"", "\"10.1.2.3\"", "true")]
    [InlineData("net.cidr_contains", "\"10.0.0.0/8\"", "\"::ffff:10.1.2.3\"", "true")]
    [InlineData("net.cidr_contains", "\"172.17.0.0/24\"", "\"172.17.0.0/16\"", "false")]
    [InlineData("net.cidr_contains", "\"2001:4860:4860::8888/32\"", "\"2001:4860:4860:1234::8888/40\"", "true")]
    [InlineData("net.cidr_contains", "\"::/0\"", "\"1.2.3.4\"", "false")]
    [InlineData("net.cidr_intersects", "\"192.168.1.0/25\"", "\"192.168.1.64/26\"", "true")]
    [InlineData("net.cidr_intersects", "\"192.168.1.0/24\"", "\"192.168.2.0/24\"", "false")]
    public void Containment(string name, string a, string b, string expected) => AssertResult(expected, name, a, b);

    [Theory]
    [InlineData("\"192.168.1.0/24\"", true)]
    [InlineData("\"2002::1234:abcd:ffff:c0a8:101/64\"", true)]
    [InlineData("\"::ffff:1.2.3.4/120\"", true)]
    [InlineData("\"192.168.1.2\"", false)]
    [InlineData("\"192.168.01.0/24\"", false)]
    [InlineData("\"192.168.1.0/33\"", false)]
    [InlineData("\"1:2:3:4:5:6:7:8:9/64\"", false)]
    [InlineData("\"fe80::1%eth0/64\"", false)]
    [InlineData("\"\"", false)]
    [InlineData("1", false)]
    public void IsValid(string cidr, bool expected) => AssertResult(expected ? "true" : "false", "net.cidr_is_valid", cidr);

    [Theory]
    [InlineData("\"192.168.1.1/30\"", "{\"192.168.1.0\", \"192.168.1.1\", \"192.168.1.2\", \"192.168.1.3\"}")]
    [InlineData("\"2001:db8::/127\"", "{\"2001:db8::\", \"2001:db8::1\"}")]
    [InlineData("\"::ffff:10.0.0.0/127\"", "{\"10.0.0.0\", \"10.0.0.1\"}")]
    public void Expand(string cidr, string expected) => AssertResult(expected, "net.cidr_expand", cidr);

    [Theory]
    [InlineData("[\"192.0.2.112/30\", \"192.0.2.116/31\", \"192.0.2.118/31\"]", "{\"192.0.2.112/29\"}")]
    [InlineData("[\"192.0.2.112/31\", \"192.0.2.116/31\", \"192.0.2.118/31\"]", "{\"192.0.2.112/31\", \"192.0.2.116/30\"}")]
    [InlineData("[\"10.0.0.0/24\", \"10.0.1.0/24\", \"10.0.2.0/24\"]", "{\"10.0.0.0/23\", \"10.0.2.0/24\"}")]
    [InlineData("[\"192.0.2.7\"]", "{\"192.0.2.7/24\"}")]
    [InlineData("[\"::/0\", \"192.0.2.0/24\"]", "{\"::/0\"}")]
    [InlineData("[\"2001:db8::/33\", \"2001:db8:8000::/33\"]", "{\"2001:db8::/32\"}")]
    [InlineData("set()", "set()")]
    public void Merge(string cidrs, string expected) => AssertResult(expected, "net.cidr_merge", cidrs);

    [Fact]
    public void ContainsMatches_PairsKeys() =>
        AssertResult(
            "{[\"k1\", 0], [\"k2\", 0]}",
            "net.cidr_contains_matches",
            "{\"k1\": \"1.1.1.1/24\", \"k2\": [\"1.1.1.2/24\", 1], \"k3\": \"2.0.0.0/8\"}",
            "[\"1.1.1.128\"]");

    [Theory]
    [InlineData("\"10.0.0.0\"", "{\"10.0.0.0\"}")]
    [InlineData("\"::\"", "{\"::\"}")]
    [InlineData("\"0:0:0:0:0:0:0:1\"", "{\"::1\"}")]
    public void LookupIPAddress_LiteralNeedsNoLookup(string name, string expected) => AssertResult(expected, "net.lookup_ip_addr", name);

    [Theory]
    [InlineData("net.cidr_expand", new[] { "\"192.168.1.1/33\"" }, "invalid CIDR address: 192.168.1.1/33")]
    [InlineData("net.cidr_contains", new[] { "\"not-a-cidr\"", "\"1.2.3.4\"" }, "invalid CIDR address: not-a-cidr")]
    [InlineData("net.cidr_contains", new[] { "\"10.0.0.0/8\"", "\"x\"" }, "not a valid textual representation of an IP address or CIDR: x")]
    [InlineData("net.cidr_merge", new[] { "[\"2001:db8::1\"]" }, "IPv6 invalid: needs prefix length")]
    [InlineData("net.cidr_merge", new[] { "[\"foo\"]" }, "invalid CIDR address: foo")]
    [InlineData("net.cidr_merge", new[] { "[1]" }, "element must be string")]
    [InlineData("net.cidr_contains_matches", new[] { "[\"1.0.0.0/8\"]", "[[]]" }, "operand 2: element must be string or non-empty array")]
    [InlineData("net.cidr_expand", new[] { "\"10.0.0.0/11\"" }, "CIDR 10.0.0.0/11 has too many addresses to expand")]
    public void BuiltinErrors(string name, string[] operands, string message) => AssertError(RegoErrorCodes.BuiltinError, message, name, operands);
}
