using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentFabric.Authorization;
using AgentFabric.Authorization.Bundles;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.AspNetCore.Benchmarks;

/// <summary>What the benchmarks' hop needs from the edge and the policy author: the edge's signing key and JWKS, an
/// exchanged token for the researcher (user alice, actor frontend), and the policy that allows exactly that.</summary>
internal sealed class BenchEdge
{
    public const string Caller = "spiffe://example.org/agents/frontend";
    public const string Callee = "spiffe://example.org/agents/researcher";

    /// <summary>The Rego rule the hop asks (<c>bench/authz/allow</c>).</summary>
    public const string DecisionPath = "bench/authz/allow";

    private const string Policy = """
        package bench.authz

        default allow := false

        allow if {
            input.caller.spiffe_id == "spiffe://example.org/agents/frontend"
            input.user.sub == "alice"
        }
        """;

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The discovery document of <paramref name="issuer"/>, whose JWKS is at <c>{issuer}jwks</c>.</summary>
    public static string Discovery(Uri issuer) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["issuer"] = issuer.ToString(), ["jwks_uri"] = issuer + "jwks" });

    /// <summary>Activates the hop's policy in the app's embedded policy decision point.</summary>
    public static void ActivatePolicy(IServiceProvider services)
    {
        var files = new BundleFiles();
        files.Add("/bench/authz.rego", Encoding.UTF8.GetBytes(Policy));
        ((BundleActivator)services.GetService(typeof(BundleActivator))!).Activate(PolicyBundle.Load("bench", files));
    }

    public string Jwks()
    {
        var p = _key.ExportParameters(false);
        var jwk = new Dictionary<string, string>
        {
            ["kty"] = "EC", ["crv"] = "P-256", ["kid"] = "edge-1", ["use"] = "sig", ["alg"] = "ES256",
            ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
        };
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["keys"] = new[] { jwk } });
    }

    /// <summary>An RFC 9068 access token as the edge's exchange issues it for the researcher.</summary>
    public string Token(Uri issuer) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer.ToString(),
        Audience = Callee,
        Expires = DateTime.UtcNow.AddHours(1),
        TokenType = "at+jwt",
        Claims = new Dictionary<string, object>
        {
            ["sub"] = "alice",
            ["scope"] = "read",
            ["act"] = JsonSerializer.SerializeToElement(new { sub = Caller }),
        },
        SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(_key) { KeyId = "edge-1" }, SecurityAlgorithms.EcdsaSha256),
    });
}
