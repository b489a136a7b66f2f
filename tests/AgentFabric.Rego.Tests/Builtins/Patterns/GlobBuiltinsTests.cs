using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins.Patterns;

public class GlobBuiltinsTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    private static Value? Call(string name, params Value[] args) => Registry.Invoke(name, new BuiltinContext(), args);

    // Delimiters as JSON: null means none, [] means the default ".".
    [Theory]
    [InlineData("*.github.com", "[\".\"]", "api.github.com", true)]
    [InlineData("*.github.com", "[\".\"]", "api.cdn.github.com", false)]
    [InlineData("api.**.com", "[\".\"]", "api.cdn.github.com", true)]
    [InlineData("*:github:com", "[\":\"]", "api:github:com", true)]
    [InlineData("*", "[]", "foo.bar", false)]
    [InlineData("*", "null", "foo.bar", true)]
    [InlineData("?at", "[]", "fat", true)]
    [InlineData("?at", "[\"f\"]", "fat", false)]
    [InlineData("[abc]at", "[]", "cat", true)]
    [InlineData("[!abc]at", "[]", "cat", false)]
    [InlineData("[a-c]at", "[]", "bat", true)]
    [InlineData("[!a-c]at", "[]", "fat", true)]
    [InlineData("{cat,bat,[fr]at}", "[]", "rat", true)]
    [InlineData("{cat,bat,[fr]at}", "[]", "at", false)]
    [InlineData("a{b,{c,d}}e", "[]", "ade", true)]
    [InlineData("\\*.com", "[]", "*.com", true)]
    [InlineData("\\*.com", "[]", "a.com", false)]
    [InlineData("ab", "[]", "abc", false)]
    // Literal patterns (no metacharacter) match exactly their own text, whatever the delimiters.
    [InlineData("spiffe://example.org/ns/ui/sa/frontend", "[\"/\"]", "spiffe://example.org/ns/ui/sa/frontend", true)]
    [InlineData("spiffe://example.org/ns/ui/sa/frontend", "[\"/\"]", "spiffe://example.org/ns/ui/sa/frontend2", false)]
    [InlineData("spiffe://example.org/ns/ui/sa/frontend", "null", "SPIFFE://example.org/ns/ui/sa/frontend", false)]
    [InlineData("a}b,c]", "[]", "a}b,c]", true)]
    [InlineData("", "[]", "", true)]
    [InlineData("", "[]", "a", false)]
    [InlineData("é😀", "[]", "é😀", true)]
    public void Match(string pattern, string delimiters, string value, bool expected) =>
        Assert.Equal(BooleanValue.Create(expected), Call("glob.match", pattern, Value.ParseJson(delimiters), value));

    [Theory]
    [InlineData("[1]", "operand 2 must be array of strings but got array containing number")]
    [InlineData("[\"ab\"]", "operand 2 must be array of runes but got array containing string")]
    [InlineData("1", "operand 2 must be one of {array, null} but got number")]
    public void Match_BadDelimiters(string delimiters, string message)
    {
        var e = Assert.Throws<RegoBuiltinException>(() => Call("glob.match", "*", Value.ParseJson(delimiters), "a"));
        Assert.Equal("eval_type_error", e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Match_UnclosedRange_Fails()
    {
        var e = Assert.Throws<RegoBuiltinException>(() => Call("glob.match", "[ab", Value.ParseJson("[]"), "a"));
        Assert.Equal("eval_builtin_error", e.Code);
        Assert.Equal("unexpected end of input: unclosed range '[ab'", e.Message);
    }

    [Theory]
    [InlineData("*.github.com", "\\*.github.com")]
    [InlineData("[a]{b,c}?\\", "\\[a\\]\\{b,c\\}\\?\\\\")]
    [InlineData("plain-text!", "plain-text!")]
    public void QuoteMeta(string input, string expected) =>
        Assert.Equal(StringValue.Create(expected), Call("glob.quote_meta", input));
}
