using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Svid.Jwt;

namespace AgentFabric.AspNetCore.Tests;

/// <summary>A JWT-SVID source for a fixed SPIFFE ID that signs with the trust domain's key, as the Workload API's
/// server would; counts what it minted.</summary>
internal sealed class MintingJwtSvidSource(SpiffeId id, JwtSigningKey signer, TimeProvider clock) : IJwtSvidSource
{
    private int _minted;

    public int Minted => Volatile.Read(ref _minted);

    public Task<JwtSvid> FetchJwtSvidAsync(string audience, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _minted);
        // A jti, as the identity server sets it: the edge refuses a client assertion it cannot hold to one use.
        var jti = new Dictionary<string, System.Text.Json.JsonElement> { ["jti"] = System.Text.Json.JsonSerializer.SerializeToElement(Guid.NewGuid().ToString("N")) };
        return Task.FromResult(JwtSvid.Mint(id, [audience], clock.GetUtcNow().AddMinutes(5), signer, clock, jti));
    }
}
