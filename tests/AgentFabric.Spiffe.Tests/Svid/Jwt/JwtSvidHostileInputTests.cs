using System.Text;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.Tests.Jose;
using static AgentFabric.Spiffe.Tests.Svid.Jwt.JwtSvidCatalogueTests;

namespace AgentFabric.Spiffe.Tests.Svid.Jwt;

/// <summary>
/// Hostile header and payload bytes (issue #13): every one is refused with <see cref="JwtSvidException"/> and its exact
/// message by Parse and ParseInsecure, and TryParse/TryParseInsecure return false without throwing.
/// </summary>
public class JwtSvidHostileInputTests
{
    private const string Header = """{"alg":"ES256","kid":"ec256","typ":"JWT"}""";
    private const string Sub = "\"sub\":\"spiffe://example.org/web\"";
    private const string Rest = "\"aud\":\"conformance\",\"exp\":1780315500";

    public static TheoryData<byte[], byte[], string> Vectors => new()
    {
        // RFC 7519 §7.2 step 10 / RFC 8259 §8.1: the claims set is UTF-8; invalid bytes in a value or a name.
        { U(Header), Bytes("{" + Sub + ",\"x\":\"", [0xC3, 0x28], "\"," + Rest + "}"), "jwtsvid: payload is not valid UTF-8" },
        { U(Header), Bytes("{\"sub\":\"spiffe://example.org/", [0xFF], "\"," + Rest + "}"), "jwtsvid: payload is not valid UTF-8" },
        { U(Header), Bytes("{" + Sub + ",\"", [0xED, 0xA0, 0x80], "\":1," + Rest + "}"), "jwtsvid: payload is not valid UTF-8" },
        { U(Header), Bytes("{" + Sub + ",\"aud\":\"", [0xE2, 0x82], "\",\"exp\":1780315500}"), "jwtsvid: payload is not valid UTF-8" },
        { Bytes("{\"alg\":\"ES256\",\"", [0xFE], "\":1}"), U("{" + Sub + "," + Rest + "}"), "jwtsvid: header is not valid UTF-8" },
        { Bytes("{\"alg\":\"ES256\",\"kid\":\"", [0xC0, 0x80], "\"}"), U("{" + Sub + "," + Rest + "}"), "jwtsvid: header is not valid UTF-8" },

        // Escaped lone surrogates decode to invalid UTF-16: refused rather than passed on to the caller.
        { U(Header), U("{" + Sub + ",\"x\":\"\\ud800\"," + Rest + "}"), "jwtsvid: payload is not valid JSON" },
        { U(Header), U("{\"sub\":\"spiffe://example.org/\\udc00\"," + Rest + "}"), "jwtsvid: payload is not valid JSON" },
        { U(Header), U("{" + Sub + ",\"\\ud800\":1," + Rest + "}"), "jwtsvid: payload is not valid JSON" },
        { U("{\"alg\":\"ES256\",\"\\udfff\":1}"), U("{" + Sub + "," + Rest + "}"), "jwtsvid: header is not valid JSON" },
        { U("{\"alg\":\"ES256\",\"kid\":\"\\ud800\"}"), U("{" + Sub + "," + Rest + "}"), "jwtsvid: header is not valid JSON" },

        // Nesting bombs: past System.Text.Json's depth limit.
        { U(Header), U("{" + Sub + ",\"x\":" + new string('[', 100_000) + "}"), "jwtsvid: payload is not valid JSON" },
        { U("{\"alg\":\"ES256\",\"x\":" + new string('[', 100_000) + "}"), U("{" + Sub + "," + Rest + "}"), "jwtsvid: header is not valid JSON" },

        // Huge and odd numbers.
        { U(Header), U("{" + Sub + ",\"aud\":\"conformance\",\"exp\":1" + new string('0', 5000) + "}"), "jwtsvid: claim \"exp\" is not a NumericDate" },
        { U(Header), U("{" + Sub + ",\"aud\":\"conformance\",\"exp\":1e999999}"), "jwtsvid: claim \"exp\" is not a NumericDate" },
        { U(Header), U("{" + Sub + ",\"aud\":\"conformance\",\"exp\":-1e999999}"), "jwtsvid: claim \"exp\" is not a NumericDate" },
        { U(Header), U("{" + Sub + ",\"aud\":\"conformance\",\"exp\":1780315500,\"nbf\":-1e999999}"), "jwtsvid: claim \"nbf\" is not a NumericDate" },

        // Duplicate members, also when one spelling is escaped.
        { U(Header), U("{" + Sub + ",\"\\u0073ub\":\"spiffe://example.org/admin\"," + Rest + "}"), "jwtsvid: payload has duplicate claim \"sub\"" },
        { U("{\"alg\":\"ES256\",\"\\u0061lg\":\"ES256\"}"), U("{" + Sub + "," + Rest + "}"), "jwtsvid: header has duplicate parameter \"alg\"" },

        // Not JSON at all, or JSON that is not an object.
        { U(Header), [0x00, 0x01, 0x02], "jwtsvid: payload is not valid JSON" },
        { U(Header), [], "jwtsvid: payload is not valid JSON" },
        { U(Header), U("\"spiffe://example.org/web\""), "jwtsvid: payload is not a JSON object" },
        { [], U("{" + Sub + "," + Rest + "}"), "jwtsvid: header is not valid JSON" },
        { U("[]"), U("{" + Sub + "," + Rest + "}"), "jwtsvid: header is not a JSON object" },
    };

    public static TheoryData<string, string> TextVectors => new()
    {
        { "a.b", "jwtsvid: token has 2 dot-separated parts, expected 3 (JWS compact serialization)" },
        { "....", "jwtsvid: token has 5 dot-separated parts, expected 3 (JWS compact serialization)" },
        { "e30=.e30.", "jwtsvid: header is not base64url" },
        { "eyJhbGciOiJFUzI1NiJ9.e3=0.", "jwtsvid: payload is not base64url" },
        { "eyJhbGciOiJFUzI1NiJ9.e.", "jwtsvid: payload is not base64url" },
        { "e3\u0660.e30.", "jwtsvid: header is not base64url" },
        { "eyJ\uD800.e30.", "jwtsvid: header is not base64url" },
        { "  {\"payload\":\"e30\"}", "jwtsvid: token uses JWS JSON serialization; a JWT-SVID uses compact serialization" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void HostileBytes_RefusedWithDocumentedException(byte[] header, byte[] payload, string expected)
    {
        string token = TestToken.B64(header) + "." + TestToken.B64(payload) + "." + TestToken.B64([1, 2, 3]);
        AssertRefusedEverywhere(token, expected);
    }

    [Theory]
    [MemberData(nameof(TextVectors))]
    public void HostileText_RefusedWithDocumentedException(string token, string expected) =>
        AssertRefusedEverywhere(token, expected);

    private static void AssertRefusedEverywhere(string token, string expected)
    {
        Assert.Equal(expected, Assert.Throws<JwtSvidException>(() => Validate(token)).Message);
        Assert.Equal(expected, Assert.Throws<JwtSvidException>(() => JwtSvid.ParseInsecure(token, [JwtTestKeys.Audience], Options)).Message);
        Assert.False(JwtSvid.TryParse(token, JwtTestKeys.Bundles(), [JwtTestKeys.Audience], Options, out var svid, out var error));
        Assert.Null(svid);
        Assert.Equal(expected, error);
        Assert.False(JwtSvid.TryParseInsecure(token, [JwtTestKeys.Audience], Options, out svid, out error));
        Assert.Null(svid);
        Assert.Equal(expected, error);
    }

    private static byte[] U(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Bytes(string before, byte[] raw, string after) => [.. U(before), .. raw, .. U(after)];
}
