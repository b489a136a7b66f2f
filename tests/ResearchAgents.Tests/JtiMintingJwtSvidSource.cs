using System.Text.Json;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Svid.Jwt;

namespace ResearchAgents.Tests;

/// <summary>A Workload API stand-in for JWT-SVIDs: a new JWT-SVID with a fresh <c>jti</c> on every fetch, because the
/// edge accepts a client assertion only with a <c>jti</c>, and only once.</summary>
internal sealed class JtiMintingJwtSvidSource(SpiffeId id, JwtSigningKey signer, TimeProvider clock) : IJwtSvidSource
{
    public Task<JwtSvid> FetchJwtSvidAsync(string audience, CancellationToken cancellationToken = default)
    {
        var jti = new Dictionary<string, JsonElement> { ["jti"] = JsonSerializer.SerializeToElement(Guid.NewGuid().ToString("N")) };
        return Task.FromResult(JwtSvid.Mint(id, [audience], clock.GetUtcNow().AddMinutes(5), signer, clock, jti));
    }
}
