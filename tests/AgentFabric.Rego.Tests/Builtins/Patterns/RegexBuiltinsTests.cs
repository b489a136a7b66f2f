using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins.Patterns;

public class RegexBuiltinsTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    private static Value? Call(string name, params Value[] args) => Registry.Invoke(name, new BuiltinContext(), args);

    // RE2 semantics that differ from .NET's defaults.
    [Theory]
    [InlineData("^[a-z]+\\[[0-9]+\\]$", "foo[1]", true)]
    [InlineData("a$", "a\n", false)] // $ is end of text without (?m)
    [InlineData("(?m)a$", "a\nb", true)]
    [InlineData("(?m)^b", "a\nb", true)]
    [InlineData("^b", "a\nb", false)]
    [InlineData("^\\d+$", "١٢٣", false)] // \d is ASCII
    [InlineData("^\\w+$", "héllo", false)] // \w is ASCII
    [InlineData("\\bllo", "héllo", true)] // so is \b: 'é' is not a word character
    [InlineData("h\\b", "héllo", true)]
    [InlineData("\\Bllo", "héllo", false)]
    [InlineData("\\bfoo\\b", "a foo b", true)]
    [InlineData("\\bfoo\\b", "afoo", false)]
    [InlineData("^\\pL+$", "héllo", true)]
    [InlineData("^\\p{Lu}$", "É", true)]
    [InlineData("^\\PL$", "1", true)]
    [InlineData("^(?P<word>ab)+$", "abab", true)]
    [InlineData("^(?i)abc$", "ABC", true)]
    [InlineData("^(?i:a)b$", "Ab", true)]
    [InlineData("^(?i:a)b$", "AB", false)]
    [InlineData("(?i)a(?-i:b)", "AB", false)]
    [InlineData("(?i)a(?-i:b)", "Ab", true)]
    [InlineData("(?m)(?-m:a$)", "a\nb", false)]
    [InlineData("^(?U)a+$", "aaa", true)]
    [InlineData("(?U)(a+)", "aaa", true)]
    [InlineData("^[[:alpha:]]+$", "abcXYZ", true)]
    [InlineData("^[[:^digit:]]+$", "ab1", false)]
    [InlineData("^\\x{263a}\\x41$", "☺A", true)]
    [InlineData("^\\Qa.b\\E$", "a.b", true)]
    [InlineData("^\\Qa.b\\E$", "axb", false)]
    [InlineData("^.$", "😀", true)] // . is one code point
    [InlineData("^[^a]$", "😀", true)]
    [InlineData("^\\101$", "A", true)] // octal
    [InlineData("a{,2}", "a{,2}", true)] // not a repetition in RE2: literal
    [InlineData("", "x", true)]
    public void Match(string pattern, string value, bool expected) =>
        Assert.Equal(BooleanValue.Create(expected), Call("regex.match", pattern, value));

    [Theory]
    [InlineData("(?=a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`")]
    [InlineData("(?<!a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?<`")]
    [InlineData("a**", "error parsing regexp: invalid nested repetition operator: `**`")]
    [InlineData("*a", "error parsing regexp: missing argument to repetition operator: `*`")]
    [InlineData("[a", "error parsing regexp: missing closing ]: `[a`")]
    [InlineData("(a", "error parsing regexp: missing closing ): `(a`")]
    [InlineData("a)", "error parsing regexp: unexpected ): `a)`")]
    [InlineData("a{1001}", "error parsing regexp: invalid repeat count: `{1001}`")]
    [InlineData("\\1", "error parsing regexp: invalid escape sequence: `\\1`")]
    [InlineData("\\Z", "error parsing regexp: invalid escape sequence: `\\Z`")]
    [InlineData("[z-a]", "error parsing regexp: invalid character class range: `z-a`")]
    [InlineData("a\\", "error parsing regexp: trailing backslash at end of expression: ``")]
    public void InvalidPatterns_FailWithGoMessages(string pattern, string message)
    {
        var e = Assert.Throws<RegoBuiltinException>(() => Call("regex.match", pattern, "a"));
        Assert.Equal("eval_builtin_error", e.Code);
        Assert.Equal(message, e.Message);
        Assert.Equal(BooleanValue.False, Call("regex.is_valid", pattern));
    }

    [Fact]
    public void LargeCountedRepetitions_Work()
    {
        Assert.Equal(BooleanValue.True, Call("regex.match", "^[a-z]{150}$", new string('q', 150)));
        Assert.Equal(BooleanValue.False, Call("regex.match", "^[a-z]{150}$", new string('q', 149)));
        Assert.Equal(BooleanValue.True, Call("regex.match", "^(a{2}){3}$", "aaaaaa"));
        Assert.Equal(BooleanValue.False, Call("regex.match", "(a{1000}){1000}", "a"));
    }

    [Fact]
    public void IsValid_NonString_IsFalse() => Assert.Equal(BooleanValue.False, Call("regex.is_valid", NumberValue.One));

    [Theory]
    [InlineData("a.", "paranormal", -1, "[\"ar\",\"an\",\"al\"]")]
    [InlineData("a.", "paranormal", 2, "[\"ar\",\"an\"]")]
    [InlineData("a*", "baaac", -1, "[\"\",\"aaa\",\"\"]")] // no empty match right after a match
    [InlineData(".", "😀a", -1, "[\"😀\",\"a\"]")]
    [InlineData("(?U)a+", "aaa", -1, "[\"a\",\"a\",\"a\"]")] // ungreedy
    [InlineData("(?U)a+?", "aaa", -1, "[\"aaa\"]")]
    public void FindN(string pattern, string value, int n, string expected) =>
        Assert.Equal(Value.ParseJson(expected), Call("regex.find_n", pattern, value, n));

    [Theory]
    [InlineData("[^aouiye]([aouiye])([^aouiye])?", "somestri", -1, "[[\"som\",\"o\",\"m\"],[\"ri\",\"i\",\"\"]]")]
    [InlineData("(?P<x>a)(b)", "ab", -1, "[[\"ab\",\"a\",\"b\"]]")] // named groups keep Go's left-to-right numbering
    public void FindAllStringSubmatchN(string pattern, string value, int n, string expected) =>
        Assert.Equal(Value.ParseJson(expected), Call("regex.find_all_string_submatch_n", pattern, value, n));

    [Theory]
    [InlineData(",", "a,b,,c", "[\"a\",\"b\",\"\",\"c\"]")]
    [InlineData("^[a-z]+", "foobar baz", "[\"\",\" baz\"]")]
    [InlineData("x*", "", "[\"\"]")]
    public void Split(string pattern, string value, string expected) =>
        Assert.Equal(Value.ParseJson(expected), Call("regex.split", pattern, value));

    [Theory]
    [InlineData("-wy-wxxy-", "w(x*)y", "0", "-0-0-")]
    [InlineData("foo", "(foo)", "$1$1", "foofoo")]
    [InlineData("abc", "(?P<first>a)", "${first}X", "aXbc")]
    [InlineData("abc", "(a)", "$1x", "bc")] // "$1x" names group "1x", which does not exist
    [InlineData("abc", "(a)", "$$1", "$1bc")]
    [InlineData("foo bar", "[a-z]", "_", "___ ___")]
    public void Replace(string value, string pattern, string replacement, string expected) =>
        Assert.Equal(StringValue.Create(expected), Call("regex.replace", value, pattern, replacement));

    [Theory]
    [InlineData("urn:foo:{.*}", "urn:foo:bar:baz", "{", "}", true)]
    [InlineData("urn:foo:<[a-z]+>", "urn:foo:bar:baz", "<", ">", false)]
    [InlineData("a.{[0-9]+}", "a.12", "{", "}", true)]
    [InlineData("a.{[0-9]+}", "ax12", "{", "}", false)] // the text outside delimiters is literal
    public void TemplateMatch(string template, string value, string start, string end, bool expected) =>
        Assert.Equal(BooleanValue.Create(expected), Call("regex.template_match", template, value, start, end));

    [Fact]
    public void TemplateMatch_Unbalanced_Fails()
    {
        var e = Assert.Throws<RegoBuiltinException>(() => Call("regex.template_match", "a{b", "ab", "{", "}"));
        Assert.Equal("unbalanced braces in \"a{b\"", e.Message);
    }

    [Theory]
    [InlineData("a.a.", ".b.b", true)]
    [InlineData("[a-z]+", "[0-9]*", false)]
    [InlineData("a.a.[0-9]+z", ".b.b2359825792*594823z", true)]
    [InlineData("b.*", "bar", true)]
    [InlineData("a*", "b*", false)] // only the empty string is common
    [InlineData("[a-z]+\\[[0-9]+\\]", "foo\\[1\\]", true)]
    public void GlobsMatch(string a, string b, bool expected) =>
        Assert.Equal(BooleanValue.Create(expected), Call("regex.globs_match", a, b));

    [Theory]
    [InlineData("pqrs]", "input:pqrs], pos:5, set-close ']' with no preceding '[': the input provided is invalid")]
    [InlineData("[ab", "input:[ab, pos:3, found [ without matching ]: the input provided is invalid")]
    [InlineData("+a", "input:+a, pos:1, flag '+' must be preceded by a non-flag: the input provided is invalid")]
    public void GlobsMatch_BadGlob(string glob, string message)
    {
        var e = Assert.Throws<RegoBuiltinException>(() => Call("regex.globs_match", glob, "a"));
        Assert.Equal(message, e.Message);
    }
}
