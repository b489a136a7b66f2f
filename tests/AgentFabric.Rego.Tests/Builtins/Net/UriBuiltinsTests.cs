using static AgentFabric.Rego.Tests.Builtins.CollectionBuiltinsHarness;

namespace AgentFabric.Rego.Tests.Builtins.Net;

public class UriBuiltinsTests
{
    [Theory]
    [InlineData("https://example.com:8080/api?q=1#top", "{\"scheme\": \"https\", \"hostname\": \"example.com\", \"port\": \"8080\", \"path\": \"/api\", \"raw_path\": \"/api\", \"raw_query\": \"q=1\", \"fragment\": \"top\"}")]
    [InlineData("HTTP://[::1]:80/", "{\"scheme\": \"http\", \"hostname\": \"::1\", \"port\": \"80\", \"path\": \"/\", \"raw_path\": \"/\"}")]
    [InlineData("https://example.com/a%2Fb%20c", "{\"scheme\": \"https\", \"hostname\": \"example.com\", \"path\": \"/a/b c\", \"raw_path\": \"/a%2Fb%20c\"}")]
    [InlineData("https://example.com/a%20b", "{\"scheme\": \"https\", \"hostname\": \"example.com\", \"path\": \"/a b\", \"raw_path\": \"/a b\"}")]
    [InlineData("https://user:pw@example.com#a%20b", "{\"scheme\": \"https\", \"hostname\": \"example.com\", \"fragment\": \"a b\"}")]
    [InlineData("mailto:user@example.com", "{\"scheme\": \"mailto\"}")]
    [InlineData("a:b/c:d", "{\"scheme\": \"a\"}")]
    [InlineData("/relative/path?x", "{\"path\": \"/relative/path\", \"raw_path\": \"/relative/path\", \"raw_query\": \"x\"}")]
    [InlineData("http://b%C3%BCcher.example/", "{\"scheme\": \"http\", \"hostname\": \"bücher.example\", \"path\": \"/\", \"raw_path\": \"/\"}")]
    [InlineData("", "{}")]
    public void Parse(string uri, string expected) => AssertResult(expected, "uri.parse", $"\"{uri}\"");

    [Theory]
    [InlineData("http://exa%6dple.com/", "parse \"http://exa%6dple.com/\": invalid URL escape \"%6d\"")]
    [InlineData("http://a<b@example.com/", "parse \"http://a<b@example.com/\": net/url: invalid userinfo")]
    [InlineData("http://example.com:8x/", "parse \"http://example.com:8x/\": invalid port \":8x\" after host")]
    [InlineData("http://[::1/", "parse \"http://[::1/\": missing ']' in host")]
    [InlineData("http://[1.2.3.4]/", "parse \"http://[1.2.3.4]/\": invalid IP-literal \"[1.2.3.4]\"")]
    [InlineData("http://exa mple.com/", "parse \"http://exa mple.com/\": invalid character \" \" in host name")]
    [InlineData("1a:b", "parse \"1a:b\": first path segment in URL cannot contain colon")]
    [InlineData(":x", "parse \":x\": missing protocol scheme")]
    [InlineData("/a%2", "parse \"/a%2\": invalid URL escape \"%2\"")]
    public void Parse_Errors(string uri, string message) =>
        AssertError(RegoErrorCodes.BuiltinError, message, "uri.parse", $"\"{uri}\"");

    [Theory]
    [InlineData("\"https://example.com/path?q=1\"", true)]
    [InlineData("\"http://foo]bar/\"", true)]
    [InlineData("\"\"", false)]
    [InlineData("\"http://[invalid\"", false)]
    [InlineData("\"http://user name@example.com/\"", false)]
    [InlineData("\"http://example.com:\\u0663\\u0664/\"", false)]
    [InlineData("\"a\\u0001b\"", false)]
    [InlineData("1", false)]
    public void IsValid(string operand, bool expected) => AssertResult(expected ? "true" : "false", "uri.is_valid", operand);
}
