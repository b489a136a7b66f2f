using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentFabric.Server.Ca;
using AgentFabric.Server.KeyManagement;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Tests.Ca;

public class JwtAuthorityTests
{
    [Fact]
    public void MintsEs256WithKid_AndRotatesLikeTheCa()
    {
        using var dir = new TempDirectory();
        using var keys = new DiskKeyManager(dir.Combine("keys"));
        var time = new ManualTime();
        var authority = new JwtAuthority(keys, dir.Combine("jwt.json"), TimeSpan.FromHours(24), time);
        authority.Initialize();
        var minter = new JwtSvidMinter(authority, "spiffe://agentvault.com", time);
        var (token, expiry) = minter.Mint(SpiffeId.Parse("spiffe://agentvault.com/service/teg-core"), ["registry"], TimeSpan.FromMinutes(5));
        Assert.Equal(time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds(), expiry.ToUnixTimeSeconds());

        var parts = token.Split('.');
        using var header = JsonDocument.Parse(Base64UrlDecode(parts[0]));
        Assert.Equal("ES256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal(authority.Active.Kid, header.RootElement.GetProperty("kid").GetString());
        using var payload = JsonDocument.Parse(Base64UrlDecode(parts[1]));
        Assert.Equal("spiffe://agentvault.com/service/teg-core", payload.RootElement.GetProperty("sub").GetString());
        Assert.Equal("registry", payload.RootElement.GetProperty("aud").GetString());
        Assert.Equal("spiffe://agentvault.com", payload.RootElement.GetProperty("iss").GetString());

        // The signature verifies with the public JWK the bundle publishes.
        using var jwks = JsonDocument.Parse(authority.PublicJwksJson());
        var jwk = Assert.Single(jwks.RootElement.EnumerateArray());
        Assert.Equal("jwt-svid", jwk.GetProperty("use").GetString());
        using var pub = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64UrlDecode(jwk.GetProperty("x").GetString()!), Y = Base64UrlDecode(jwk.GetProperty("y").GetString()!) },
        });
        Assert.True(pub.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64UrlDecode(parts[2]), HashAlgorithmName.SHA256));

        var e = Assert.Throws<CaException>(() => minter.Mint(SpiffeId.Parse("spiffe://agentvault.com/x"), [], TimeSpan.FromMinutes(5)));
        Assert.Equal("ca: a JWT-SVID needs at least one non-empty audience", e.Message);

        var first = authority.Active.Kid;
        time.Advance(TimeSpan.FromHours(12.5));
        Assert.Equal(["prepared"], authority.Rotate());
        Assert.Equal(2, JsonDocument.Parse(authority.PublicJwksJson()).RootElement.GetArrayLength());
        Assert.Equal(first, authority.Active.Kid);
        time.Advance(TimeSpan.FromHours(8));
        Assert.Equal(["activated"], authority.Rotate());
        Assert.NotEqual(first, authority.Active.Kid);

        // Restart with disk keys keeps the keys.
        var again = new JwtAuthority(keys, dir.Combine("jwt.json"), TimeSpan.FromHours(24), time);
        again.Initialize();
        Assert.Equal(authority.Active.Kid, again.Active.Kid);
    }

    internal static byte[] Base64UrlDecode(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
