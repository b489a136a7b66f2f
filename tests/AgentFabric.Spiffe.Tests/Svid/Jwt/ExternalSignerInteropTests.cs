using System.Diagnostics;
using System.Formats.Asn1;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.Tests.Jose;
using AgentFabric.Spiffe.Tests.Pki;

namespace AgentFabric.Spiffe.Tests.Svid.Jwt;

/// <summary>
/// Interop with JOSE implementations that are not .NET: node's built-in crypto (key generation, JWK export, signing
/// and verifying) and the openssl command line. Their tokens and JWKs go through our parser and validator; our minted
/// tokens and marshalled JWKS go through theirs.
/// </summary>
public sealed class ExternalSignerInteropTests : IDisposable
{
    // Node: generate a key, export its public JWK, sign header.payload (ECDSA as IEEE P1363, i.e. JWS R || S).
    private const string NodeSigner = """
        const crypto = require('crypto');
        const [alg, sub, aud, exp, kid] = process.argv.slice(1);
        const b64 = (b) => Buffer.from(b).toString('base64url');
        const ec = { ES256: ['prime256v1', 'sha256'], ES384: ['secp384r1', 'sha384'], ES512: ['secp521r1', 'sha512'] }[alg];
        const rsaHash = 'sha' + alg.slice(2);
        const { publicKey, privateKey } = ec
          ? crypto.generateKeyPairSync('ec', { namedCurve: ec[0] })
          : crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
        const header = { alg, typ: 'JWT' };
        if (kid) header.kid = kid;
        const input = b64(JSON.stringify(header)) + '.' + b64(JSON.stringify({ sub, aud, exp: Number(exp), iat: Number(exp) - 300 }));
        const options = ec ? { key: privateKey, dsaEncoding: 'ieee-p1363' }
          : alg.startsWith('PS') ? { key: privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST }
          : { key: privateKey };
        const signature = crypto.sign(ec ? ec[1] : rsaHash, Buffer.from(input), options);
        process.stdout.write(JSON.stringify({ jwk: publicKey.export({ format: 'jwk' }), token: input + '.' + b64(signature) }));
        """;

    // Node: verify our token with the key of our JWKS that its kid names.
    private const string NodeVerifier = """
        const crypto = require('crypto');
        const [token, jwks] = process.argv.slice(1);
        const [h, p, s] = token.split('.');
        const header = JSON.parse(Buffer.from(h, 'base64url'));
        const jwk = JSON.parse(jwks).keys.find((k) => k.kid === header.kid);
        const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
        const ok = crypto.verify('sha256', Buffer.from(h + '.' + p), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
        process.stdout.write(JSON.stringify({ ok, claims: JSON.parse(Buffer.from(p, 'base64url')) }));
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("spiffe-jwt-interop").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("ES256", "node-es256")]
    [InlineData("ES384", "node-es384")]
    [InlineData("ES512", null)]
    [InlineData("RS256", "node-rs256")]
    [InlineData("PS256", "node-ps256")]
    public async Task NodeSignedToken_VerifiesWithNodeExportedJwk(string alg, string? kid)
    {
        long exp = TestClock.Now.AddMinutes(5).ToUnixTimeSeconds();
        string output = await RunAsync("node", "-e", NodeSigner, alg, "spiffe://example.org/node", "conformance",
            exp.ToString(CultureInfo.InvariantCulture), kid ?? "");
        using var result = JsonDocument.Parse(output);
        string token = result.RootElement.GetProperty("token").GetString()!;

        // Node's JWK has no kid or use: publish it as the bundle's JWT authority under our key ID.
        var jwk = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(result.RootElement.GetProperty("jwk").GetRawText())!;
        jwk["kid"] = JsonSerializer.SerializeToElement(kid ?? "node");
        jwk["use"] = JsonSerializer.SerializeToElement("jwt-svid");
        byte[] jwks = JsonSerializer.SerializeToUtf8Bytes(new { keys = new[] { jwk } });
        var bundle = JwtBundle.Parse(JwtTestKeys.ExampleOrg, jwks);

        var svid = JwtSvid.Parse(token, bundle, ["conformance"], JwtSvidCatalogueTests.Options);
        Assert.Equal("spiffe://example.org/node", svid.Id.ToString());
        Assert.Equal(alg, svid.Algorithm);
        Assert.Equal(kid, svid.KeyId);

        // The same token with one signature byte changed fails.
        var parts = token.Split('.');
        byte[] signature = Convert.FromBase64String(Pad(parts[2]));
        signature[0] ^= 0x80;
        string tampered = parts[0] + "." + parts[1] + "." + TestToken.B64(signature);
        Assert.False(JwtSvid.TryParse(tampered, bundle, ["conformance"], JwtSvidCatalogueTests.Options, out _, out var error));
        Assert.StartsWith(kid is null ? "jwtsvid: token has no \"kid\"" : "jwtsvid: token signature is invalid", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MintedToken_VerifiesInNode_WithOurMarshalledJwks()
    {
        var signingKey = new JwtSigningKey(JwtTestKeys.P256, "ES256", "ec256");
        var svid = JwtSvid.Mint(
            SpiffeId.Parse("spiffe://example.org/dotnet"), ["node"], TestClock.Now.AddMinutes(5), signingKey, TestClock.Provider);
        string jwks = Encoding.UTF8.GetString(JwtTestKeys.Bundle().Marshal());

        string output = await RunAsync("node", "-e", NodeVerifier, svid.Token, jwks);
        using var result = JsonDocument.Parse(output);
        Assert.True(result.RootElement.GetProperty("ok").GetBoolean(), output);
        Assert.Equal("spiffe://example.org/dotnet", result.RootElement.GetProperty("claims").GetProperty("sub").GetString());
    }

    // openssl signs header.payload with its own key; its DER ECDSA signature is re-encoded as JWS R || S.
    [Fact]
    public async Task OpenSslSignedEs256Token_Verifies()
    {
        string key = Path.Combine(_dir, "key.pem");
        string pub = Path.Combine(_dir, "pub.pem");
        string input = Path.Combine(_dir, "input");
        string sig = Path.Combine(_dir, "sig.der");
        await RunAsync("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key);
        await RunAsync("openssl", "ec", "-in", key, "-pubout", "-out", pub);

        var token = TestToken.Valid();
        token.Header["kid"] = "openssl";
        File.WriteAllText(input, token.SigningInput());
        await RunAsync("openssl", "dgst", "-sha256", "-sign", key, "-out", sig, input);

        using var publicKey = System.Security.Cryptography.ECDsa.Create();
        publicKey.ImportFromPem(File.ReadAllText(pub));
        var bundle = new JwtBundle(JwtTestKeys.ExampleOrg, [new JwtAuthority("openssl", publicKey)]);
        string signed = token.WithSignature(DerToP1363(File.ReadAllBytes(sig), 32));

        Assert.Equal(JwtTestKeys.Subject, JwtSvid.Parse(signed, bundle, ["conformance"], JwtSvidCatalogueTests.Options).Id.ToString());
    }

    private static byte[] DerToP1363(byte[] der, int size)
    {
        var sequence = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var result = new byte[size * 2];
        foreach (int offset in new[] { 0, size })
        {
            var integer = sequence.ReadIntegerBytes().Span.TrimStart((byte)0);
            integer.CopyTo(result.AsSpan(offset + size - integer.Length));
        }

        return result;
    }

    private static string Pad(string b64Url)
    {
        string s = b64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Fail($"these interop tests need {program} on PATH: {ex.Message}");
            throw;
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"{program} failed: {await stderr}");
            return await stdout;
        }
    }
}
