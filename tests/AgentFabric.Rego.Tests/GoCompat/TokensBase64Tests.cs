using AgentFabric.Rego.Builtins.Tokens;
using AgentFabric.Rego.GoCompat;

namespace AgentFabric.Rego.Tests.GoCompat;

public class TokensBase64Tests
{
    [Theory]
    [InlineData("Zm9vYmFy", "foobar")]
    [InlineData("Zm9vYg==", "foob")]
    [InlineData("Zm9vYmE=", "fooba")]
    [InlineData("Zm9v\r\nYmFy", "foobar")]
    [InlineData("", "")]
    public void Std_DecodesPaddedInput(string text, string expected)
    {
        Assert.True(GoBase64.TryDecodeStd(text, out var bytes, out var error), error);
        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(bytes));
    }

    // RFC 4648 §3.2-3.3 violations, at the offsets Go reports.
    [Theory]
    [InlineData("foobar", 4)]
    [InlineData("Zm9v!mFy", 4)]
    [InlineData("Zg=a", 2)]
    [InlineData("Zg=", 3)]
    [InlineData("Z===", 1)]
    [InlineData("Zm8=Zm8=", 4)]
    [InlineData("Zm9v-_==", 4)]
    public void Std_ReportsTheOffset(string text, int offset)
    {
        Assert.False(GoBase64.TryDecodeStd(text, out _, out var error));
        Assert.Equal($"illegal base64 data at input byte {offset}", error);
    }

    [Theory]
    [InlineData("Zm9vYmE", "fooba")]
    [InlineData("Zm9vYg==", "foob")]
    [InlineData("-_8", "\u00fb\u00ff")]
    public void Url_AcceptsPaddedAndUnpadded(string text, string expected)
    {
        Assert.True(GoBase64.TryDecodeUrl(text, out var bytes, out var error), error);
        Assert.Equal(expected, System.Text.Encoding.Latin1.GetString(bytes));
    }

    [Theory]
    [InlineData("Zm9vY", 4)]
    [InlineData("Zm+v", 2)]
    [InlineData("Zm9=Y", 3)]
    public void Url_ReportsTheOffset(string text, int offset)
    {
        Assert.False(GoBase64.TryDecodeUrl(text, out _, out var error));
        Assert.Equal($"illegal base64 data at input byte {offset}", error);
    }

    [Fact]
    public void Url_EncodesWithoutPadding() =>
        Assert.Equal("-_8", GoBase64.EncodeUrl([0xfb, 0xff]));
}
