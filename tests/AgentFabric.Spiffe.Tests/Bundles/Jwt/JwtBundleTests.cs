using System.Security.Cryptography;
using System.Text;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Tests.Jose;

namespace AgentFabric.Spiffe.Tests.Bundles.Jwt;

/// <summary>JwtBundle: the JWK Set form, key management and its role as a source.</summary>
public class JwtBundleTests
{
    private static readonly TrustDomain s_td = JwtTestKeys.ExampleOrg;

    public static TheoryData<string, string> InvalidJwks => new()
    {
        { "", "jwtbundle: JWKS is not valid JSON (line 1, byte 1)" },
        { "{}", "jwtbundle: JWKS has no \"keys\" member" },
        { """{"keys":null}""", "jwtbundle: JWKS member \"keys\" is not an array" },
        { """{"keys":["a"]}""", "jwtbundle: key 0 is not a JSON object" },
        { """{"keys":[{"kid":"a",$K1},{"crv":"P-256"}]}""", "jwtbundle: key 1 has no \"kty\" string" },
        { """{"keys":[{$K1}]}""", "jwtbundle: key 0 is a JWT-SVID key without a \"kid\"" },
        { """{"keys":[{"kid":"a",$K1},{"kid":"a",$RSA}]}""", "jwtbundle: key 1 has duplicate key ID \"a\"" },
        { """{"keys":[{"kid":"a","kid":"b",$K1}]}""", "jwtbundle: key 0 has duplicate member \"kid\"" },
        { """{"keys":[{"kid":"r","kty":"RSA","n":7,"e":"AQAB"}]}""", "jwtbundle: key 0 (kid \"r\"): \"n\" is not a string" },
    };

    [Theory]
    [MemberData(nameof(InvalidJwks))]
    public void Parse_RejectsInvalidJwks(string vector, string expected)
    {
        var ex = Assert.Throws<JwtBundleException>(() => JwtBundle.Parse(s_td, BundleJson.Expand(vector)));
        Assert.Equal(expected, ex.Message);
    }

    // A JWT bundle ignores X.509 entries and the SPIFFE members, which need not be valid for it.
    [Fact]
    public void Parse_IgnoresX509EntriesAndSpiffeMembers()
    {
        var bundle = JwtBundle.Parse(s_td, BundleJson.Expand(
            """{"spiffe_sequence":"ignored","keys":[{"kty":"EC","use":"x509-svid","x5c":["$ROOT"]},{"use":"jwt-svid","kid":"a",$K1}]}"""));
        Assert.Equal(["a"], bundle.JwtAuthorities.Select(a => a.KeyId));
    }

    [Fact]
    public void Marshal_WritesAPlainJwkSet_AndRoundTrips()
    {
        var bundle = JwtTestKeys.Bundle();
        string json = Encoding.UTF8.GetString(bundle.Marshal());
        string expected = "{\"keys\":[" + string.Join(",",
            JwkJson.Of("ec256", JwtTestKeys.P256), JwkJson.Of("ec384", JwtTestKeys.P384),
            JwkJson.Of("ec521", JwtTestKeys.P521), JwkJson.Of("rsa", JwtTestKeys.Rsa)) + "]}";
        Assert.Equal(expected, json);
        Assert.True(bundle.ContentEquals(JwtBundle.Parse(s_td, bundle.Marshal())));
        Assert.Equal("""{"keys":[]}""", Encoding.UTF8.GetString(new JwtBundle(s_td).Marshal()));
    }

    [Fact]
    public void AddFindRemove()
    {
        var bundle = new JwtBundle(s_td);
        Assert.True(bundle.IsEmpty);
        bundle.AddJwtAuthority("a", JwtTestKeys.P256);
        bundle.AddJwtAuthority("b", JwtTestKeys.Rsa);
        Assert.True(bundle.HasJwtAuthority("a"));
        Assert.Equal("EC", bundle.FindJwtAuthority("a").KeyType);

        // Adding under an existing kid replaces the key in place.
        bundle.AddJwtAuthority("a", JwtTestKeys.P384);
        Assert.Equal(["a", "b"], bundle.JwtAuthorities.Select(x => x.KeyId));
        Assert.Equal("P-384", bundle.FindJwtAuthority("a").Curve);

        Assert.True(bundle.RemoveJwtAuthority("a"));
        Assert.False(bundle.RemoveJwtAuthority("a"));
        Assert.Equal(
            "jwtbundle: no JWT authority \"a\" in trust domain \"example.org\"",
            Assert.Throws<JwtBundleException>(() => bundle.FindJwtAuthority("a")).Message);

        bundle.SetJwtAuthorities([new JwtAuthority("c", JwtTestKeys.P521)]);
        Assert.Equal(["c"], bundle.JwtAuthorities.Select(x => x.KeyId));
    }

    [Fact]
    public void DuplicateKidsAreACallerBug_AndChangeNothing()
    {
        var bundle = new JwtBundle(s_td, [new JwtAuthority("a", JwtTestKeys.P256)]);
        Assert.Throws<ArgumentException>(() =>
            bundle.SetJwtAuthorities([new JwtAuthority("x", JwtTestKeys.P256), new JwtAuthority("x", JwtTestKeys.P384)]));
        Assert.Equal(["a"], bundle.JwtAuthorities.Select(x => x.KeyId));
        Assert.Throws<ArgumentException>(() => JwtBundle.FromJwtAuthorities(s_td, [new JwtAuthority("x", JwtTestKeys.P256), new JwtAuthority("x", JwtTestKeys.P256)]));
    }

    [Fact]
    public void Authority_KeepsAPrivateCopyOfThePublicKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authority = new JwtAuthority("a", key);
        key.Dispose();
        Assert.Equal(256, authority.PublicKey.KeySize);
        Assert.Throws<CryptographicException>(() => ((ECDsa)authority.PublicKey).ExportParameters(includePrivateParameters: true));
        Assert.Equal("a (EC P-256)", authority.ToString());
        Assert.Equal(new JwtAuthority("a", JwtTestKeys.Rsa), new JwtAuthority("a", JwtTestKeys.Rsa));
        Assert.NotEqual(new JwtAuthority("a", JwtTestKeys.Rsa), new JwtAuthority("b", JwtTestKeys.Rsa));
        using var brainpool = ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1);
        Assert.Throws<ArgumentException>(() => new JwtAuthority("bp", brainpool));
        Assert.Throws<ArgumentException>(() => new JwtAuthority("", JwtTestKeys.Rsa));
    }

    [Fact]
    public void CloneAndContentEquals()
    {
        var bundle = JwtTestKeys.Bundle();
        var clone = bundle.Clone();
        Assert.True(bundle.ContentEquals(clone));
        clone.RemoveJwtAuthority("rsa");
        Assert.False(bundle.ContentEquals(clone));
        Assert.Equal(4, bundle.JwtAuthorities.Count);
    }

    [Fact]
    public void Source_AnswersForItsOwnTrustDomainOnly()
    {
        var bundle = JwtTestKeys.Bundle();
        Assert.Same(bundle, bundle.GetJwtBundleForTrustDomain(s_td));
        Assert.Equal(
            "jwtbundle: no JWT bundle for trust domain \"fed.example.org\"",
            Assert.Throws<JwtBundleException>(() => bundle.GetJwtBundleForTrustDomain(JwtTestKeys.Federated)).Message);
    }

    [Fact]
    public void Set_AddReplaceRemove()
    {
        var set = new JwtBundleSet(JwtTestKeys.Bundle());
        Assert.Equal(1, set.Count);
        set.Add(JwtTestKeys.FederatedBundle());
        Assert.Equal(["example.org", "fed.example.org"], set.Bundles.Select(b => b.TrustDomain.Name));
        var replacement = new JwtBundle(s_td);
        set.Add(replacement);
        Assert.Same(replacement, set.GetJwtBundleForTrustDomain(s_td));
        Assert.True(set.Remove(s_td));
        Assert.False(set.Contains(s_td));
        Assert.Equal(
            "jwtbundle: no JWT bundle for trust domain \"example.org\"",
            Assert.Throws<JwtBundleException>(() => set.GetJwtBundleForTrustDomain(s_td)).Message);
    }

    [Fact]
    public void Load_FileRoundTrip_AndMissingFile()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, JwtTestKeys.Bundle().Marshal());
            Assert.True(JwtTestKeys.Bundle().ContentEquals(JwtBundle.Load(s_td, path)));
        }
        finally
        {
            File.Delete(path);
        }

        var ex = Assert.Throws<JwtBundleException>(() => JwtBundle.Load(s_td, "/nonexistent/jwks.json"));
        Assert.StartsWith("jwtbundle: unable to load JWT bundle file: ", ex.Message, StringComparison.Ordinal);
    }
}
