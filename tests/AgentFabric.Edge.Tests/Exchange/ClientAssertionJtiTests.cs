using System.Net;
using static AgentFabric.Edge.Tests.Exchange.ExchangeEdge;

namespace AgentFabric.Edge.Tests.Exchange;

/// <summary>The default edge: JWT-SVIDs without a jti (SPIRE's and ours carry none) authenticate a client, and a jti,
/// when present, is still accepted once only.</summary>
public sealed class ClientAssertionJtiTests : IAsyncLifetime
{
    private readonly ExchangeEdge _edge = new();

    public Task InitializeAsync() => _edge.InitializeAsync();

    public Task DisposeAsync() => _edge.DisposeAsync();

    [Fact]
    public async Task AssertionWithoutJti_IsAccepted_AndMayBeUsedAgainWithinItsLife()
    {
        var assertion = _edge.Svid(Frontend, withJti: false);
        for (var i = 0; i < 2; i++)
        {
            var form = _edge.Form(Frontend, _edge.AccessToken(_edge.UserClaims(Frontend)), Researcher);
            var (status, _) = await ExchangeWith(form, assertion);
            Assert.Equal(HttpStatusCode.OK, status);
        }
    }

    [Fact]
    public async Task AssertionWithJti_IsAcceptedOnce()
    {
        var assertion = _edge.Svid(Frontend, jti: "only-once");
        var form = _edge.Form(Frontend, _edge.AccessToken(_edge.UserClaims(Frontend)), Researcher);
        Assert.Equal(HttpStatusCode.OK, (await ExchangeWith(form, assertion)).Status);
        var (status, error) = await ExchangeWith(form, assertion);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", error);
    }

    private async Task<(HttpStatusCode Status, string? Error)> ExchangeWith(IEnumerable<KeyValuePair<string, string>> form, string assertion)
    {
        var replaced = form.Select(p => p.Key == "client_assertion" ? new KeyValuePair<string, string>(p.Key, assertion) : p).ToList();
        var result = await _edge.ExchangeAsync(replaced);
        using var response = result.Response;
        return (result.Status, result.Status == HttpStatusCode.OK ? null : result.Body.GetProperty("error").GetString());
    }
}
