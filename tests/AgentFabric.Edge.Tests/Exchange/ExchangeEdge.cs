using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFabric.Edge.Exchange;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.Edge.Tests.Exchange;

/// <summary>
/// A real edge on 127.0.0.1 set up for token exchange: the trust domain example.org (its JWT-SVID key in the bundle
/// map the edge reads), agents under spiffe://example.org/agents/ registered as clients, the routes
/// frontend → researcher → writer → archivist, and a fake clock that stands still until a test moves it. Also mints
/// what agents and users present: JWT-SVIDs (by the trusted key or an untrusted domain's key) and edge access tokens.
/// </summary>
internal sealed class ExchangeEdge(Action<EdgeOptions>? configure = null) : IAsyncLifetime
{
    public const string Frontend = "spiffe://example.org/agents/frontend";
    public const string Researcher = "spiffe://example.org/agents/researcher";
    public const string Writer = "spiffe://example.org/agents/writer";
    public const string Archivist = "spiffe://example.org/agents/archivist";
    public const string User = "alice";
    public const int DepthCap = 4;

    private readonly string _bundleDir = Path.Combine(Path.GetTempPath(), "af-edge-bundle-" + Guid.NewGuid().ToString("N"));
    private readonly ECDsa _trustedKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _untrustedKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private EdgeUnderTest _edge = null!;

    public FakeTimeWithSystemTimers Clock { get; } = new();

    public Uri Issuer => _edge.Issuer;

    /// <summary>The edge itself, for its OIDC provider side.</summary>
    public EdgeUnderTest Edge => _edge;

    public JwtSigningKey TrustedSigner { get; private set; } = null!;

    /// <summary>A key of evil.org, a trust domain the edge has no bundle for.</summary>
    public JwtSigningKey UntrustedSigner { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    /// <summary>The X.509 CA of example.org (its root in the bundle map) and of evil.org (in no bundle).</summary>
    public SvidAuthority X509Authority { get; } = new("example.org");

    public SvidAuthority UntrustedX509Authority { get; } = new("evil.org");

    /// <summary>The certificate the edge's mTLS listener presents.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 MtlsServerCertificate { get; private set; } = null!;

    /// <summary>The mTLS token endpoint (RFC 8705 §5 alias).</summary>
    public Uri MtlsTokenEndpoint => new(_edge.Options.MtlsEndpoint!, "connect/token");

    public async Task InitializeAsync()
    {
        TrustedSigner = JwtSigningKey.Create(_trustedKey, "example-k1");
        UntrustedSigner = JwtSigningKey.Create(_untrustedKey, "evil-k1");
        Directory.CreateDirectory(_bundleDir);
        var bundle = new SpiffeBundle(TrustDomain.Parse("example.org"), [X509Authority.Root], [TrustedSigner.ToJwtAuthority()]);
        var map = Path.Combine(_bundleDir, "bundles.json");
        await File.WriteAllBytesAsync(map, new SpiffeBundleSet(bundle).MarshalBundleMap());
        var certificatePath = Path.Combine(_bundleDir, "edge.crt");
        var keyPath = Path.Combine(_bundleDir, "edge.key");
        MtlsServerCertificate = SvidAuthority.WriteServerCertificate(certificatePath, keyPath);
        _edge = await EdgeUnderTest.StartAsync(o =>
        {
            o.TrustBundlePath = map;
            o.MtlsEndpoint = new Uri($"https://127.0.0.1:{LoopbackPorts.Next()}/");
            o.MtlsCertificatePath = certificatePath;
            o.MtlsKeyPath = keyPath;
            o.MaxDelegationDepth = DepthCap;
            o.SpiffeClients.Add("spiffe://example.org/agents/*");
            o.ExchangeRoutes.Add(new ExchangeRoute(Frontend, Researcher));
            o.ExchangeRoutes.Add(new ExchangeRoute(Researcher, Writer));
            o.ExchangeRoutes.Add(new ExchangeRoute(Writer, Archivist));
            // Lets the tests build deep chains and re-exchanges between the same agents.
            o.ExchangeRoutes.Add(new ExchangeRoute(Researcher, Researcher));
            configure?.Invoke(o);
        }, timeProvider: Clock);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await _edge.DisposeAsync();
        _trustedKey.Dispose();
        _untrustedKey.Dispose();
        X509Authority.Dispose();
        UntrustedX509Authority.Dispose();
        Directory.Delete(_bundleDir, recursive: true);
    }

    /// <summary>A JWT-SVID of <paramref name="agent"/> for the edge (or <paramref name="audience"/>), with a fresh jti.</summary>
    public string Svid(string agent, string? audience = null, JwtSigningKey? signer = null, TimeSpan? life = null, string? jti = null, bool withJti = true)
    {
        var extra = withJti
            ? new Dictionary<string, JsonElement> { ["jti"] = JsonSerializer.SerializeToElement(jti ?? Guid.NewGuid().ToString("N")) }
            : null;
        return JwtSvid.Mint(SpiffeId.Parse(agent), [audience ?? Issuer.ToString()], Clock.GetUtcNow() + (life ?? TimeSpan.FromMinutes(5)),
            signer ?? TrustedSigner, Clock, extra).Token;
    }

    /// <summary>The claims of a user access token as this edge issues them (RFC 9068), addressed to <paramref name="audience"/>.</summary>
    public JsonObject UserClaims(string audience, TimeSpan? life = null, string scope = "read write")
    {
        var now = Clock.GetUtcNow();
        return new JsonObject
        {
            ["iss"] = Issuer.ToString(),
            ["sub"] = User,
            ["aud"] = audience,
            ["scope"] = scope,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + (life ?? TimeSpan.FromHours(1))).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
    }

    /// <summary>Signs <paramref name="claims"/> as an access token with the edge's own key (or <paramref name="key"/>).</summary>
    public string AccessToken(JsonObject claims, string typ = "at+jwt", SecurityKey? key = null)
    {
        var signingKey = key ?? _edge.Services.GetRequiredService<EdgeSigningCredentials>().Key;
        var header = new JsonObject { ["alg"] = "ES256", ["typ"] = typ };
        if (signingKey.KeyId is not null)
        {
            header["kid"] = signingKey.KeyId;
        }

        var input = B64(header.ToJsonString()) + "." + B64(claims.ToJsonString());
        var ecdsa = ((ECDsaSecurityKey)signingKey).ECDsa;
        return input + "." + Base64UrlEncoder.Encode(ecdsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    /// <summary>A token with <c>alg: none</c> and an empty signature (RFC 7519 §6.1).</summary>
    public static string Unsecured(JsonObject header, JsonObject claims) =>
        B64(header.ToJsonString()) + "." + B64(claims.ToJsonString()) + ".";

    /// <summary>HS256 keyed with the bytes of the edge's public key (the algorithm-confusion attack).</summary>
    public string Hs256WithPublicKey(JsonObject claims)
    {
        var ecdsa = _edge.Services.GetRequiredService<EdgeSigningCredentials>().Key.ECDsa;
        var input = B64(new JsonObject { ["alg"] = "HS256", ["typ"] = "at+jwt" }.ToJsonString()) + "." + B64(claims.ToJsonString());
        var mac = HMACSHA256.HashData(ecdsa.ExportSubjectPublicKeyInfo(), Encoding.ASCII.GetBytes(input));
        return input + "." + Base64UrlEncoder.Encode(mac);
    }

    /// <summary>A token exchange request's form: client assertion by <paramref name="client"/>, its JWT-SVID as the
    /// actor token, <paramref name="subjectToken"/> for <paramref name="target"/>.</summary>
    public List<KeyValuePair<string, string>> Form(string client, string subjectToken, string target, string? scope = null, bool actor = true)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", TokenTypes.GrantType),
            new("client_assertion_type", TokenTypes.JwtSpiffeAssertion),
            new("client_assertion", Svid(client)),
            new("subject_token", subjectToken),
            new("subject_token_type", TokenTypes.AccessToken),
            new("audience", target),
        };
        if (actor)
        {
            form.Add(new("actor_token", Svid(client)));
            form.Add(new("actor_token_type", TokenTypes.Jwt));
        }

        if (scope is not null)
        {
            form.Add(new("scope", scope));
        }

        return form;
    }

    /// <summary>A token exchange form for mutual-TLS client authentication: client_id, no assertion or actor token.</summary>
    public static List<KeyValuePair<string, string>> MtlsForm(string client, string subjectToken, string target) =>
    [
        new("grant_type", TokenTypes.GrantType),
        new("client_id", client),
        new("subject_token", subjectToken),
        new("subject_token_type", TokenTypes.AccessToken),
        new("audience", target),
    ];

    /// <summary>Posts an exchange to the mTLS endpoint presenting <paramref name="leaf"/> (issued by
    /// <paramref name="authority"/>, the trusted one by default).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> ExchangeOverMtlsAsync(
        IEnumerable<KeyValuePair<string, string>> form, System.Security.Cryptography.X509Certificates.X509Certificate2 leaf, SvidAuthority? authority = null)
    {
        using var client = (authority ?? X509Authority).Client(leaf, MtlsServerCertificate);
        return await ExchangeAsync(form, client, MtlsTokenEndpoint);
    }

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> ExchangeAsync(IEnumerable<KeyValuePair<string, string>> form) =>
        ExchangeAsync(form, Http, new Uri(Issuer, "connect/token"));

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> ExchangeAsync(
        IEnumerable<KeyValuePair<string, string>> form, HttpClient http, Uri endpoint)
    {
        var response = await http.PostAsync(endpoint, new FormUrlEncodedContent(form));
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0)
        {
            throw new Xunit.Sdk.XunitException($"HTTP {(int)response.StatusCode} with an empty body ({response.Headers})");
        }

        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    /// <summary>The payload of a compact JWT.</summary>
    public static JsonObject Payload(string jwt) => JsonNode.Parse(Base64UrlEncoder.Decode(jwt.Split('.')[1]))!.AsObject();

    /// <summary>The header of a compact JWT.</summary>
    public static JsonObject Header(string jwt) => JsonNode.Parse(Base64UrlEncoder.Decode(jwt.Split('.')[0]))!.AsObject();

    private static string B64(string text) => Base64UrlEncoder.Encode(text);
}
