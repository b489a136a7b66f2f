using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.Fuzz;

/// <summary>The SPIFFE SDK's parsers: IDs, JWT-SVIDs, X.509-SVIDs (DER, as the Workload API sends them) and bundles.
/// Each allows only the exception its public method documents; the Try* forms must not throw at all.</summary>
internal static class SpiffeTargets
{
    private static readonly TrustDomain Domain = TrustDomain.Parse("example.org");
    private static readonly string[] Audience = ["spiffe://example.org/backend"];
    private static readonly Lazy<SigningMaterial> Material = new(SigningMaterial.Create);

    public static FuzzTarget SpiffeId { get; } = new(
        "spiffe-id",
        ["spiffe://", "example.org", "/", "//", "%", ".", "..", ":", "@", "?", "#", "-", "_", "A", "\u00e9"],
        () => new[] { "spiffe://example.org/workload", "spiffe://a.b-c_d/x/y.z", "spiffe://td" }.Select(Encoding.UTF8.GetBytes),
        RunSpiffeId);

    public static FuzzTarget JwtSvid { get; } = new(
        "jwt-svid",
        [".", "eyJ", "\"alg\"", "\"ES256\"", "\"RS256\"", "\"kid\"", "\"typ\"", "\"sub\"", "\"aud\"", "\"exp\"", "\"nbf\"", "{", "}", "[", "]", "=", "-", "_"],
        () => [Encoding.UTF8.GetBytes(Material.Value.Token)],
        RunJwtSvid);

    public static FuzzTarget X509SvidDer { get; } = new(
        "x509-svid-der",
        ["\u0030\u0082", "\u0006\u0003\u0055\u001d\u000f", "\u0006\u0003\u0055\u001d\u0025", "\u0006\u0003\u0055\u001d\u0013", "\u0006\u0003\u0055\u001d\u0011", "\u00ff", "\u0000"],
        () => [[0, .. Material.Value.CertificateDer], [1, .. Material.Value.KeyDer]],
        RunX509SvidDer);

    public static FuzzTarget BundleJson { get; } = new(
        "bundle-json",
        ["{", "}", "[", "]", "\"keys\"", "\"kty\"", "\"EC\"", "\"RSA\"", "\"use\"", "\"x509-svid\"", "\"jwt-svid\"", "\"x5c\"", "\"kid\"", "\"crv\"", "\"P-256\"", "\"x\"", "\"y\"", "\"n\"", "\"e\"", "\"spiffe_sequence\"", "\"spiffe_refresh_hint\"", "null", "1e999", "\"spiffe://example.org\""],
        () => [Material.Value.BundleJson, Encoding.UTF8.GetBytes("{\"spiffe://example.org\":" + Encoding.UTF8.GetString(Material.Value.BundleJson) + "}")],
        RunBundleJson);

    private static string RunSpiffeId(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var ok = Spiffe.SpiffeId.TryParse(text, out var id, out var error);
        try
        {
            var parsed = Spiffe.SpiffeId.Parse(text);
            if (!ok || parsed != id)
            {
                throw new FuzzInvariantException("SpiffeId.Parse accepted what TryParse refused");
            }
        }
        catch (SpiffeIdException e) when (!ok)
        {
            error = e.Message;
        }

        if (ok && Spiffe.SpiffeId.Parse(id.ToString()) != id)
        {
            throw new FuzzInvariantException("a SPIFFE ID does not survive ToString and Parse");
        }

        _ = TrustDomain.TryParse(text, out _);
        return ok ? "ok" : error!;
    }

    private static string RunJwtSvid(byte[] input)
    {
        var token = Encoding.UTF8.GetString(input);
        var insecure = Spiffe.Svid.Jwt.JwtSvid.TryParseInsecure(token, Audience, null, out _, out var insecureError);
        var ok = Spiffe.Svid.Jwt.JwtSvid.TryParse(token, Material.Value.JwtBundle, Audience, null, out _, out var error);
        try
        {
            _ = Spiffe.Svid.Jwt.JwtSvid.Parse(token, Material.Value.JwtBundle, Audience);
        }
        catch (JwtSvidException) when (!ok)
        {
        }

        return ok ? "ok" : insecure ? "signature: " + error : insecureError!;
    }

    // The first byte chooses what the rest is: 0, the certificate chain (with a valid key); 1, the key (with a valid
    // certificate). Parsed SVIDs are then verified against a bundle holding their issuer.
    private static string RunX509SvidDer(byte[] input)
    {
        if (input.Length == 0)
        {
            return "empty";
        }

        var m = Material.Value;
        var rest = input.AsSpan(1);
        var ok = (input[0] & 1) == 0
            ? X509Svid.TryParseRaw(rest, m.KeyDer, out _, out var error)
            : X509Svid.TryParseRaw(m.CertificateDer, rest, out _, out error);
        if ((input[0] & 1) == 0)
        {
            try
            {
                _ = X509SvidVerifier.ParseAndVerify(rest, m.X509Bundle, TimeProvider.System);
            }
            catch (X509SvidException)
            {
            }
        }

        return ok ? "ok" : error!;
    }

    private static string RunBundleJson(byte[] input)
    {
        var ok = SpiffeBundle.TryParse(Domain, input, out var bundle, out var error);
        if (ok)
        {
            if (!SpiffeBundle.TryParse(Domain, bundle!.Marshal(), out var reparsed, out var again))
            {
                throw new FuzzInvariantException("a parsed bundle does not survive Marshal and Parse: " + again);
            }

            if (!bundle.ContentEquals(reparsed))
            {
                throw new FuzzInvariantException("a parsed bundle changes through Marshal and Parse");
            }
        }

        var mapOk = SpiffeBundleSet.TryParseBundleMap(input, out _, out var mapError);
        try
        {
            _ = SpiffeBundle.Parse(Domain, input);
        }
        catch (SpiffeBundleException) when (!ok)
        {
        }

        return (ok ? "ok" : error!) + " | " + (mapOk ? "ok" : mapError!);
    }

    /// <summary>A CA, an SVID it signed and a JWT-SVID, made once per process.</summary>
    private sealed record SigningMaterial(string Token, JwtBundle JwtBundle, byte[] CertificateDer, byte[] KeyDer, X509Bundle X509Bundle, byte[] BundleJson)
    {
        public static SigningMaterial Create()
        {
            var jwtKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var signing = JwtSigningKey.Create(jwtKey, "k1");
            var jwtBundle = new JwtBundle(Domain, [signing.ToJwtAuthority()]);
            var token = Spiffe.Svid.Jwt.JwtSvid.Mint(
                Spiffe.SpiffeId.Parse("spiffe://example.org/workload"),
                Audience,
                DateTimeOffset.UtcNow.AddYears(5),
                signing,
                TimeProvider.System).Token;

            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest("CN=fuzz CA", caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            var sanBuilder = new SubjectAlternativeNameBuilder();
            sanBuilder.AddUri(new Uri("spiffe://example.org"));
            caRequest.CertificateExtensions.Add(sanBuilder.Build());
            var now = DateTimeOffset.UtcNow;
            using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));

            using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var leafRequest = new CertificateRequest("CN=workload", leafKey, HashAlgorithmName.SHA256);
            leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            var leafSan = new SubjectAlternativeNameBuilder();
            leafSan.AddUri(new Uri("spiffe://example.org/workload"));
            leafRequest.CertificateExtensions.Add(leafSan.Build());
            using var leaf = leafRequest.Create(ca, now.AddDays(-1), now.AddYears(4), [1, 2, 3, 4]);

            var x509Bundle = new X509Bundle(Domain, [X509CertificateLoader.LoadCertificate(ca.RawData)]);
            var bundle = new SpiffeBundle(Domain, [X509CertificateLoader.LoadCertificate(ca.RawData)], [signing.ToJwtAuthority()], 1);
            return new SigningMaterial(token, jwtBundle, leaf.RawData, leafKey.ExportPkcs8PrivateKey(), x509Bundle, bundle.Marshal());
        }
    }
}
