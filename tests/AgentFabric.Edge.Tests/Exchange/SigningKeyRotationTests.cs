using System.Net;
using System.Text.Json;
using AgentFabric.Edge.Keys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static AgentFabric.Edge.Tests.Exchange.ExchangeEdge;

namespace AgentFabric.Edge.Tests.Exchange;

/// <summary>Issue #15: signing keys rotate with overlap. A new key is in the JWKS before it signs; the key it replaces
/// stays in the JWKS until every token it signed has expired, so a token signed before the rotation still verifies
/// from the JWKS after it. The clock is fake; the publish lead is 10 minutes and the longest token life 15.</summary>
public sealed class SigningKeyRotationTests : IAsyncLifetime
{
    private static readonly TimeSpan Lead = TimeSpan.FromMinutes(10);
    private readonly ExchangeEdge _edge = new(o =>
    {
        o.SigningKeyPublishLead = Lead;
        o.SigningKeyRotationPeriod = TimeSpan.FromDays(1);
    });

    public Task InitializeAsync() => _edge.InitializeAsync();

    public Task DisposeAsync() => _edge.DisposeAsync();

    [Fact]
    public async Task ATokenSignedBeforeRotation_VerifiesFromTheJwksAfterIt_UntilItsKeyRetires()
    {
        var ring = _edge.Edge.Services.GetRequiredService<EdgeSigningKeyRing>();
        var old = ring.Current.KeyId;
        var before = await ExchangeAsync();
        Assert.Equal(old, Header(before)["kid"]!.GetValue<string>());

        var next = ring.Rotate();
        // Published at once, not signing yet.
        Assert.Equal([old, next.KeyId], await JwksKeyIdsAsync());
        Assert.Equal(old, Header(await ExchangeAsync()).TryGetPropertyValue("kid", out var k) ? k!.GetValue<string>() : null);

        _edge.Clock.Advance(Lead);
        var after = await ExchangeAsync();
        Assert.Equal(next.KeyId, Header(after)["kid"]!.GetValue<string>());
        Assert.Equal([old, next.KeyId], await JwksKeyIdsAsync());
        Assert.True(await VerifiesFromJwksAsync(before));
        Assert.True(await VerifiesFromJwksAsync(after));

        // 15 minutes (the longest token life) after the old key stopped signing, it leaves the JWKS.
        _edge.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal([next.KeyId], await JwksKeyIdsAsync());
        Assert.False(await VerifiesFromJwksAsync(before));
    }

    [Fact]
    public async Task ThePeriod_RotatesOnItsOwn_PublishingTheNextKeyALeadAhead()
    {
        var ring = _edge.Edge.Services.GetRequiredService<EdgeSigningKeyRing>();
        var first = ring.Current.KeyId;
        _edge.Clock.Advance(TimeSpan.FromDays(1) - Lead);
        var ids = await JwksKeyIdsAsync();
        Assert.Equal(2, ids.Length);
        Assert.Equal(first, ids[0]);
        Assert.Equal(first, ring.Current.KeyId);
        _edge.Clock.Advance(Lead);
        Assert.Equal(ids[1], ring.Current.KeyId);
    }

    private async Task<string> ExchangeAsync()
    {
        var (status, body, response) = await _edge.ExchangeAsync(_edge.Form(Frontend, _edge.AccessToken(_edge.UserClaims(Frontend)), Researcher));
        response.Dispose();
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("access_token").GetString()!;
    }

    private async Task<JsonWebKeySet> JwksAsync() =>
        new(await _edge.Http.GetStringAsync(new Uri(_edge.Issuer, ".well-known/jwks")));

    private async Task<string[]> JwksKeyIdsAsync() => [.. (await JwksAsync()).Keys.Select(k => k.Kid)];

    /// <summary>What a resource does: verify the signature with the JWKS (lifetime checked on the fake clock).</summary>
    private async Task<bool> VerifiesFromJwksAsync(string token)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = (await JwksAsync()).GetSigningKeys(),
            ValidIssuer = _edge.Issuer.ToString(),
            ValidAudience = Researcher,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidateLifetime = false,
        });
        return result.IsValid;
    }
}
