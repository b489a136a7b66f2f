using System.Security.Cryptography;
using System.Text;
using AgentFabric.Authorization.Bundles;
using AgentFabric.Authorization.Tests.Fixtures;

namespace AgentFabric.Authorization.Tests.Bundles;

/// <summary>OPA docs, "Signing": the verification table and each verification step.</summary>
public sealed class BundleSignatureTests
{
    private static readonly RSA Rsa = RSA.Create(2048);
    private static readonly ECDsa Ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly RSA OtherRsa = RSA.Create(2048);

    private static BundleFiles Unsigned() => BundleBuilder.Files(
        ("/.manifest", """{"revision":"s1","roots":["authz"]}"""),
        ("/authz/policy.rego", "package authz\n\nallow if input.ok\n"),
        ("/authz/data.json", """{"b": 1, "a": ["<x>"]}"""));

    private static BundleVerificationOptions Keys(string? scope = null, params string[] exclude) => new()
    {
        Keys = new Dictionary<string, BundleVerificationKey>
        {
            ["k1"] = new("RS256", Rsa.ExportSubjectPublicKeyInfoPem()),
            ["ec"] = new("ES256", Ec.ExportSubjectPublicKeyInfoPem()),
            ["other"] = new("RS256", OtherRsa.ExportSubjectPublicKeyInfoPem()),
        },
        Scope = scope,
        ExcludeFiles = exclude,
    };

    private static BundleException Refused(BundleFiles files, BundleVerificationOptions? options) =>
        Assert.Throws<BundleException>(() => PolicyBundle.Load("s", files, new BundleLoadOptions { Verification = options }));

    [Fact]
    public void Unsigned_and_unconfigured_loads() =>
        Assert.Equal("s1", PolicyBundle.Load("s", Unsigned()).Manifest.Revision);

    [Fact]
    public void Rs256_signature_verifies()
    {
        var files = Unsigned();
        var bundle = PolicyBundle.Load("s", BundleBuilder.Signed(files, BundleBuilder.Signatures(files, "RS256", Rsa)), new BundleLoadOptions { Verification = Keys() });

        Assert.Equal("s1", bundle.Manifest.Revision);
    }

    [Fact]
    public void Es256_signature_verifies()
    {
        var files = Unsigned();
        var signed = BundleBuilder.Signed(files, BundleBuilder.Signatures(files, "ES256", Ec, kid: "ec"));

        Assert.Equal("s1", PolicyBundle.Load("s", signed, new BundleLoadOptions { Verification = Keys() }).Manifest.Revision);
    }

    [Fact]
    public void Configured_key_id_wins_over_the_header()
    {
        var files = Unsigned();
        var signed = BundleBuilder.Signed(files, BundleBuilder.Signatures(files, "RS256", Rsa, kid: "other"));

        Assert.Equal("s1", PolicyBundle.Load("s", signed, new BundleLoadOptions { Verification = Keys() with { KeyId = "k1" } }).Manifest.Revision);
    }

    [Fact]
    public void Signed_but_unconfigured_is_refused()
    {
        var files = Unsigned();
        var e = Refused(BundleBuilder.Signed(files, BundleBuilder.Signatures(files, "RS256", Rsa)), null);

        Assert.Equal(BundleErrorReason.SignatureUnexpected, e.Reason);
        Assert.Equal("bundle s: the bundle is signed but no verification key is configured", e.Message);
    }

    [Fact]
    public void Configured_but_unsigned_is_refused()
    {
        var e = Refused(Unsigned(), Keys());

        Assert.Equal(BundleErrorReason.SignatureMissing, e.Reason);
        Assert.Equal("bundle s: verification is configured but the bundle has no .signatures.json", e.Message);
    }

    [Fact]
    public void Tampered_file_is_refused()
    {
        var files = Unsigned();
        var signatures = BundleBuilder.Signatures(files, "RS256", Rsa);
        var tampered = BundleBuilder.Files(
            ("/.manifest", """{"revision":"s1","roots":["authz"]}"""),
            ("/authz/policy.rego", "package authz\n\nallow := true\n"),
            ("/authz/data.json", """{"b": 1, "a": ["<x>"]}"""));

        var e = Refused(BundleBuilder.Signed(tampered, signatures), Keys());

        Assert.Equal(BundleErrorReason.SignatureInvalid, e.Reason);
        Assert.StartsWith("bundle s: signature: /authz/policy.rego: digest mismatch (signed ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reformatted_json_still_verifies()
    {
        var files = Unsigned();
        var signatures = BundleBuilder.Signatures(files, "RS256", Rsa);
        var reformatted = BundleBuilder.Files(
            ("/.manifest", """{ "roots": ["authz"], "revision": "s1" }"""),
            ("/authz/policy.rego", "package authz\n\nallow if input.ok\n"),
            ("/authz/data.json", "{\n  \"a\": [\"<x>\"],\n  \"b\": 1\n}\n"));

        Assert.Equal("s1", PolicyBundle.Load("s", BundleBuilder.Signed(reformatted, signatures), new BundleLoadOptions { Verification = Keys() }).Manifest.Revision);
    }

    [Fact]
    public void Unsigned_extra_file_is_refused()
    {
        var files = Unsigned();
        var e = Refused(BundleBuilder.Signed(files, BundleBuilder.Signatures(files, "RS256", Rsa, skip: ["/authz/data.json"])), Keys());

        Assert.Equal("bundle s: signature: /authz/data.json is in the bundle but not in the signature", e.Message);
    }

    [Fact]
    public void Excluded_file_is_not_verified()
    {
        var files = Unsigned();
        var signed = BundleBuilder.Signed(files, BundleBuilder.Signatures(files, "RS256", Rsa, skip: ["/authz/data.json"]));

        Assert.Equal("s1", PolicyBundle.Load("s", signed, new BundleLoadOptions { Verification = Keys(null, "authz/*.json") }).Manifest.Revision);
    }

    [Fact]
    public void Signed_file_missing_from_the_bundle_is_refused()
    {
        var files = Unsigned();
        var signatures = BundleBuilder.Signatures(files, "RS256", Rsa);
        var fewer = BundleBuilder.Files(("/.manifest", """{"revision":"s1","roots":["authz"]}"""), ("/authz/policy.rego", "package authz\n\nallow if input.ok\n"));

        Assert.Equal("bundle s: signature: /authz/data.json signed but not in the bundle", Refused(BundleBuilder.Signed(fewer, signatures), Keys()).Message);
    }

    [Fact]
    public void Wrong_key_is_refused()
    {
        var files = Unsigned();
        var e = Refused(BundleBuilder.Signed(files, BundleBuilder.Signatures(files, "RS256", OtherRsa)), Keys());

        Assert.Equal(BundleErrorReason.SignatureInvalid, e.Reason);
        Assert.Equal("bundle s: signature: does not verify with key 'k1'", e.Message);
    }

    [Theory]
    [InlineData("nope", null, "bundle s: signature: key 'nope' is not configured")]
    [InlineData(null, null, "bundle s: signature: no key id configured and none in the JWT")]
    public void Unknown_key_is_refused(string? kid, string? scope, string message)
    {
        var files = Unsigned();

        Assert.Equal(message, Refused(BundleBuilder.Signed(files, BundleBuilder.Signatures(files, "RS256", Rsa, kid, scope)), Keys()).Message);
    }

    [Fact]
    public void Unsupported_key_algorithm_is_refused()
    {
        var files = Unsigned();
        var options = new BundleVerificationOptions { Keys = new Dictionary<string, BundleVerificationKey> { ["k1"] = new("none", "") } };

        Assert.Equal("bundle s: signature: key 'k1' has unsupported algorithm 'none'",
            Refused(BundleBuilder.Signed(files, BundleBuilder.Signatures(files, "RS256", Rsa)), options).Message);
    }

    [Fact]
    public void Algorithm_must_match_the_key()
    {
        var files = Unsigned();

        Assert.Equal("bundle s: signature: JWT algorithm 'ES256' does not match key 'k1' algorithm 'RS256'",
            Refused(BundleBuilder.Signed(files, BundleBuilder.Signatures(files, "ES256", Ec, kid: "k1")), Keys()).Message);
    }

    [Theory]
    [InlineData("write", "read", "bundle s: signature: scope 'write' does not match the configured scope 'read'")]
    [InlineData(null, "read", "bundle s: signature: scope '' does not match the configured scope 'read'")]
    [InlineData("write", null, "bundle s: signature: scope 'write' does not match the configured scope ''")]
    public void Scope_must_match(string? signed, string? configured, string message)
    {
        var files = Unsigned();

        Assert.Equal(message, Refused(BundleBuilder.Signed(files, BundleBuilder.Signatures(files, "RS256", Rsa, scope: signed)), Keys(configured)).Message);
    }

    [Fact]
    public void Matching_scope_verifies()
    {
        var files = Unsigned();
        var signed = BundleBuilder.Signed(files, BundleBuilder.Signatures(files, "RS256", Rsa, scope: "read"));

        Assert.Equal("s1", PolicyBundle.Load("s", signed, new BundleLoadOptions { Verification = Keys("read") }).Manifest.Revision);
    }

    [Theory]
    [InlineData("""{"signatures":[]}""", "bundle s: .signatures.json: expected exactly one signature, found 0")]
    [InlineData("""{"signatures":["a","b"]}""", "bundle s: .signatures.json: expected exactly one signature, found 2")]
    [InlineData("""[]""", "bundle s: .signatures.json: must be an object with a \"signatures\" array")]
    [InlineData("""{""", "bundle s: .signatures.json: not JSON: ")]
    [InlineData("""{"signatures":["a.b"]}""", "bundle s: signature: not a compact JWS (three dot-separated parts)")]
    [InlineData("""{"signatures":["!!.e30.AA"]}""", "bundle s: signature: the JWT header is not base64url JSON")]
    public void Malformed_signatures_file_is_refused(string json, string message)
    {
        var e = Refused(BundleBuilder.Signed(Unsigned(), json), Keys());

        Assert.Equal(BundleErrorReason.SignatureInvalid, e.Reason);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"b": 1, "a": "<x>&"}""", """{"a":"\u003cx\u003e\u0026","b":1}""")]
    [InlineData("""{"z": {"y": [1.50, true, null], "x": "é"}}""", """{"z":{"x":"é","y":[1.50,true,null]}}""")]
    [InlineData("""{"\u2028": "\u0001"}""", """{"\u2028":"\u0001"}""")]
    public void Json_is_hashed_in_canonical_form(string json, string canonical) =>
        Assert.Equal(canonical, Encoding.UTF8.GetString(CanonicalJson.FromJson(Encoding.UTF8.GetBytes(json))));

    [Fact]
    public void Digest_of_a_json_file_is_sha256_of_the_canonical_form() =>
        Assert.Equal(
            Convert.ToHexStringLower(SHA256.HashData("""{"a":1,"b":[2]}"""u8.ToArray())),
            Convert.ToHexStringLower(BundleSignatureVerifier.Digest("s", "/data.json", "SHA-256", """{ "b": [2], "a": 1 }"""u8.ToArray())));

    [Fact]
    public void Unsupported_hash_algorithm_is_refused() =>
        Assert.Equal("bundle s: signature: /x.rego: unsupported hash algorithm 'MD5'",
            Assert.Throws<BundleException>(() => BundleSignatureVerifier.Digest("s", "/x.rego", "MD5", [])).Message);
}
