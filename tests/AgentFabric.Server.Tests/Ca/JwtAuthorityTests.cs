using System.Text.Json;
using AgentFabric.Server.Ca;
using AgentFabric.Server.Federation;
using AgentFabric.Server.KeyManagement;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Svid.Jwt;
using Microsoft.Extensions.Time.Testing;

namespace AgentFabric.Server.Tests.Ca;

public class JwtAuthorityTests
{
    private static readonly TrustDomain s_td = TrustDomain.Parse("agentvault.com");

    [Fact]
    public void MintsEs256WithKid_AndRotatesLikeTheCa()
    {
        using var dir = new TempDirectory();
        using var keys = new DiskKeyManager(dir.Combine("keys"));
        // A whole second, so the sub-second TTL below cannot cross into the next second of exp.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
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

        // The token verifies with the SDK against the bundle the server publishes (JWKs written and read by the SDK).
        var published = StoredBundleFormat.JwtAuthoritiesJson(s_td, authority.PublicAuthorities());
        using var jwks = JsonDocument.Parse(published);
        var jwk = Assert.Single(jwks.RootElement.EnumerateArray());
        Assert.Equal(("jwt-svid", authority.Active.Kid, "EC", "P-256"),
            (jwk.GetProperty("use").GetString(), jwk.GetProperty("kid").GetString(), jwk.GetProperty("kty").GetString(), jwk.GetProperty("crv").GetString()));
        var bundle = StoredBundleFormat.ToSpiffeBundle(s_td, [], published, 0, 1);
        var svid = JwtSvid.Parse(token, bundle, ["registry"], new JwtSvidValidationOptions { TimeProvider = time });
        Assert.Equal(("spiffe://agentvault.com/service/teg-core", "ES256", authority.Active.Kid), (svid.Id.ToString(), svid.Algorithm, svid.KeyId));
        Assert.Equal(expiry, svid.Expiry);
        Assert.Equal("jwtsvid: token signature is invalid",
            Assert.Throws<JwtSvidException>(() => JwtSvid.Parse(token[..^4] + (token[^4] == 'A' ? "BAAA" : "AAAA"), bundle, ["registry"], new JwtSvidValidationOptions { TimeProvider = time })).Message);

        // Two audiences are an array (JWT-SVID §3.2).
        var (two, _) = minter.Mint(SpiffeId.Parse("spiffe://agentvault.com/service/teg-core"), ["a", "b"], TimeSpan.FromMinutes(5));
        using (var twoPayload = JsonDocument.Parse(Base64UrlDecode(two.Split('.')[1])))
        {
            Assert.Equal("[\"a\",\"b\"]", twoPayload.RootElement.GetProperty("aud").GetRawText());
        }

        // A TTL under one second would give exp == iat.
        Assert.Equal($"ca: a JWT-SVID would expire at once (TTL 0.5 s, JWT key \"{authority.Active.Kid}\" valid until {authority.Active.NotAfter:u})",
            Assert.Throws<CaException>(() => minter.Mint(SpiffeId.Parse("spiffe://agentvault.com/x"), ["a"], TimeSpan.FromMilliseconds(500))).Message);

        var e = Assert.Throws<CaException>(() => minter.Mint(SpiffeId.Parse("spiffe://agentvault.com/x"), [], TimeSpan.FromMinutes(5)));
        Assert.Equal("ca: a JWT-SVID needs at least one non-empty audience", e.Message);

        var first = authority.Active.Kid;
        time.Advance(TimeSpan.FromHours(12.5));
        Assert.Equal(["prepared"], authority.Rotate());
        Assert.Equal(2, authority.PublicAuthorities().Count);
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
