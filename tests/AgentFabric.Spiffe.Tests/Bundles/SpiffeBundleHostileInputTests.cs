using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentFabric.Spiffe.Bundles;
using AgentFabric.Spiffe.Tests.Pki;

namespace AgentFabric.Spiffe.Tests.Bundles;

/// <summary>
/// Hostile bundle documents found by fuzzing (issue #13): SpiffeBundle.Parse and ParseBundleMap answer only with
/// <see cref="SpiffeBundleException"/>, the Try* forms return false without throwing, and every bundle Parse accepts
/// marshals and parses back to an equal bundle. Certificates with a bad key are a fresh P-256 CA with its SPKI patched.
/// </summary>
public class SpiffeBundleHostileInputTests
{
    private static readonly TrustDomain s_td = TestPki.ExampleOrg;

    // id-ecPublicKey (1.2.840.10045.2.1) and, of the same length, id-dsa (1.2.840.10040.4.1): RFC 5480 §2.1.1, RFC 3279 §2.3.2.
    private static readonly byte[] s_ecPublicKeyOid = [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
    private static readonly byte[] s_dsaOid = [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x38, 0x04, 0x01];

    public static TheoryData<string, string> InvalidDocuments => new()
    {
        // RFC 8259 §8.1: JSON between systems is UTF-8 (0x80 is a lone continuation byte, 0xC3 a truncated sequence).
        { "7b226b657973223a5b5d2c2280223a317d", "spiffebundle: JWKS is not valid UTF-8" },
        { "7b226b657973223a5b5d7dc3", "spiffebundle: JWKS is not valid UTF-8" },
        { "ff", "spiffebundle: JWKS is not valid UTF-8" },
        // RFC 8259 §7 allows the escape of a lone surrogate, which no .NET string holds: in a name and in a value.
        { Hex("""{"keys":[],"\ud800":1}"""), "spiffebundle: JWKS has a string escape that is not a Unicode character (a lone surrogate)" },
        { Hex("""{"keys":[{"kty":"EC","use":"jwt-svid","kid":"\udc00"}]}"""), "spiffebundle: JWKS has a string escape that is not a Unicode character (a lone surrogate)" },
    };

    public static TheoryData<string, string> InvalidMaps => new()
    {
        { "7b2274727573745f646f6d61696e73223a7b2280223a7b7d7d7d", "spiffebundle: bundle map is not valid UTF-8" },
        { Hex("""{"trust_domains":{"\ud800":{"keys":[]}}}"""), "spiffebundle: bundle map has a string escape that is not a Unicode character (a lone surrogate)" },
    };

    [Theory]
    [MemberData(nameof(InvalidDocuments))]
    public void Parse_RefusesTextThatIsNotUnicode(string hex, string expected)
    {
        var json = Convert.FromHexString(hex);
        Assert.Equal(expected, Assert.Throws<SpiffeBundleException>(() => SpiffeBundle.Parse(s_td, json)).Message);
        Assert.False(SpiffeBundle.TryParse(s_td, json, out var bundle, out var error));
        Assert.Null(bundle);
        Assert.Equal(expected, error);
    }

    [Theory]
    [MemberData(nameof(InvalidMaps))]
    public void ParseBundleMap_RefusesTextThatIsNotUnicode(string hex, string expected)
    {
        var json = Convert.FromHexString(hex);
        Assert.Equal(expected, Assert.Throws<SpiffeBundleException>(() => SpiffeBundleSet.ParseBundleMap(json)).Message);
        Assert.False(SpiffeBundleSet.TryParseBundleMap(json, out var set, out var error));
        Assert.Null(set);
        Assert.Equal(expected, error);
    }

    public static TheoryData<string, string> BadCertificateKeys => new()
    {
        // RFC 7517 §4.7: the key of the first x5c certificate is the JWK's key, so it must be one a JWK holds.
        { "point-off-curve", "spiffebundle: key 0 has an \"x5c\" certificate whose public key cannot be decoded" },
        { "dsa-algorithm", "spiffebundle: key 0 has an \"x5c\" certificate whose public key is neither RSA nor EC" },
        { "brainpool-curve", "spiffebundle: key 0 has an \"x5c\" certificate whose EC public key is not on P-256, P-384 or P-521" },
    };

    [Theory]
    [MemberData(nameof(BadCertificateKeys))]
    public void Parse_RefusesAnX5cCertificateWhoseKeyCannotBeWrittenBack(string certificate, string expected)
    {
        var json = Encoding.UTF8.GetBytes($$"""{"keys":[{"kty":"EC","use":"x509-svid","x5c":["{{Convert.ToBase64String(Certificate(certificate))}}"]}]}""");

        Assert.Equal(expected, Assert.Throws<SpiffeBundleException>(() => SpiffeBundle.Parse(s_td, json)).Message);
        Assert.False(SpiffeBundle.TryParse(s_td, json, out _, out var error));
        Assert.Equal(expected, error);
        var map = Encoding.UTF8.GetBytes("""{"trust_domains":{"example.org":""" + Encoding.UTF8.GetString(json) + "}}");
        Assert.Equal(
            expected.Replace("spiffebundle: ", "spiffebundle: trust domain \"example.org\": ", StringComparison.Ordinal),
            Assert.Throws<SpiffeBundleException>(() => SpiffeBundleSet.ParseBundleMap(map)).Message);
    }

    // A bundle built in code may hold such a certificate; Marshal then fails with its documented exception.
    [Theory]
    [InlineData("point-off-curve", "spiffebundle: cannot marshal bundle: the X.509 authority \"CN=hostile\" cannot be written: its public key cannot be decoded (Parameter 'x509Authorities')")]
    [InlineData("dsa-algorithm", "spiffebundle: cannot marshal bundle: the X.509 authority \"CN=hostile\" cannot be written: its public key is neither RSA nor EC (Parameter 'x509Authorities')")]
    public void Marshal_OfABundleBuiltInCode_ThrowsTheDocumentedException(string certificate, string expected)
    {
        var bundle = new SpiffeBundle(s_td, [X509CertificateLoader.LoadCertificate(Certificate(certificate))], []);
        Assert.Equal(expected, Assert.Throws<SpiffeBundleException>(() => bundle.Marshal()).Message);
    }

    // The round-trip promise for what Parse accepts: both key types, a key whose kty disagrees with the certificate
    // (the certificate's key is the one written back), metadata at its limits.
    [Theory]
    [InlineData("""{"spiffe_sequence":18446744073709551615,"spiffe_refresh_hint":0,"keys":[{"kty":"RSA","use":"x509-svid","x5c":["$ROOT"]},{"use":"jwt-svid","kid":"r",$RSA}]}""")]
    [InlineData("""{"keys":[{"kty":"EC","use":"x509-svid","x5c":["$FOREIGN","$ROOT"]},{"kty":"EC","use":"x509-svid","x5c":["$ROOT"]},{"use":"jwt-svid","kid":"\u00e9\ud83d\ude00",$K1}]}""")]
    public void WhatParseAccepts_MarshalsToAnEqualBundle(string vector)
    {
        var bundle = SpiffeBundle.Parse(s_td, BundleJson.Expand(vector));
        var again = SpiffeBundle.Parse(s_td, bundle.Marshal());
        Assert.True(bundle.ContentEquals(again));
        Assert.Equal(bundle.Marshal(), again.Marshal());
    }

    private static string Hex(string text) => Convert.ToHexString(Encoding.UTF8.GetBytes(text));

    private static byte[] Certificate(string name)
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var root = SelfSigned(p256, "CN=hostile");
        switch (name)
        {
            case "point-off-curve":
            {
                // Flip a bit of the SPKI point's X coordinate: the point leaves the curve.
                var x = p256.ExportParameters(false).Q.X!;
                var at = root.AsSpan().IndexOf(x);
                var patched = root.ToArray();
                patched[at + 5] ^= 0x01;
                return patched;
            }

            case "dsa-algorithm":
            {
                var at = root.AsSpan().IndexOf(s_ecPublicKeyOid);
                var patched = root.ToArray();
                s_dsaOid.CopyTo(patched, at);
                return patched;
            }

            default:
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1);
                return SelfSigned(key, "CN=brainpool");
            }
        }
    }

    private static byte[] SelfSigned(ECDsa key, string subject)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        using var certificate = request.CreateSelfSigned(TestClock.Now.AddDays(-1), TestClock.Now.AddDays(1));
        return certificate.RawData;
    }
}
