using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Svid.Jwt;
using Microsoft.Extensions.Logging;

namespace AgentFabric.AspNetCore;

/// <summary>
/// RFC 8693 token exchange at the edge for outgoing calls: this workload authenticates with its JWT-SVID as
/// <c>client_assertion</c> (draft-ietf-oauth-spiffe-client-auth, audience = the edge's issuer) and presents the same
/// SVID as <c>actor_token</c>; the user's token is the <c>subject_token</c>; the target's SPIFFE ID the
/// <c>audience</c>. Results are cached per (subject, target, scope) until shortly before they expire.
/// </summary>
internal sealed class TokenExchanger(
    EdgeMetadata metadata,
    SpiffeSources sources,
    SpiffeWorkloadOptions workload,
    IHttpClientFactory httpClients,
    TimeProvider timeProvider,
    ILogger<TokenExchanger> logger)
{
    // RFC 8693 §2.1 / §3 and the SPIFFE client assertion type.
    private const string GrantType = "urn:ietf:params:oauth:grant-type:token-exchange";
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    private const string JwtTokenType = "urn:ietf:params:oauth:token-type:jwt";
    private const string JwtSpiffeAssertion = "urn:ietf:params:oauth:client-assertion-type:jwt-spiffe";

    private readonly ExchangedTokenCache _cache = new(timeProvider);

    internal ExchangedTokenCache Cache => _cache;

    /// <summary>A token for <paramref name="target"/> on behalf of <paramref name="subjectToken"/>'s user.</summary>
    /// <exception cref="TokenExchangeException">The edge refused or could not be asked.</exception>
    public Task<CachedAccessToken> GetTokenAsync(string subjectToken, SpiffeId target, string? scope, TimeSpan refreshBefore, CancellationToken cancellationToken)
    {
        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(subjectToken)));
        var key = $"{digest}\n{target}\n{scope}";
        return _cache.GetAsync(key, () => ExchangeAsync(subjectToken, target, scope), refreshBefore, cancellationToken);
    }

    private async Task<CachedAccessToken> ExchangeAsync(string subjectToken, SpiffeId target, string? scope)
    {
        using var activity = SpiffeActivityTags.Source.StartActivity("agentfabric.token_exchange", ActivityKind.Client);
        SpiffeActivityTags.SetCallee(activity, target);
        var issuer = workload.EdgeIssuer
            ?? throw new TokenExchangeException("agentfabric: no edge is configured for token exchange (SpiffeWorkloadOptions.EdgeIssuer)");
        string tokenEndpoint;
        string assertion;
        try
        {
            var configuration = await metadata.GetAsync(issuer, TimeSpan.FromHours(1), TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
            tokenEndpoint = configuration.TokenEndpoint
                ?? throw new TokenExchangeException($"agentfabric: the edge {issuer} publishes no token_endpoint");
            // draft-ietf-oauth-spiffe-client-auth §4: the assertion's audience is the authorization server.
            var svid = await sources.JwtSvids.FetchJwtSvidAsync(issuer.ToString(), CancellationToken.None).ConfigureAwait(false);
            assertion = svid.Marshal();
        }
        catch (Exception e) when (e is EdgeMetadataException or JwtSvidException or InvalidOperationException)
        {
            throw new TokenExchangeException("agentfabric: token exchange could not start: " + e.Message, null, null, null, e);
        }

        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", GrantType),
            new("client_assertion_type", JwtSpiffeAssertion),
            new("client_assertion", assertion),
            new("subject_token", subjectToken),
            new("subject_token_type", AccessTokenType),
            new("actor_token", assertion),
            new("actor_token_type", JwtTokenType),
            new("audience", target.ToString()),
        };
        if (scope is not null)
        {
            form.Add(new("scope", scope));
        }

        var started = timeProvider.GetUtcNow();
        JsonElement body;
        int status;
        try
        {
            using var http = httpClients.CreateClient(EdgeMetadata.HttpClientName);
            using var content = new FormUrlEncodedContent(form);
            using var response = await http.PostAsync(new Uri(tokenEndpoint), content).ConfigureAwait(false);
            status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            body = JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            throw new TokenExchangeException($"agentfabric: the edge's token endpoint did not answer: {e.Message}", null, null, null, e);
        }

        return Read(body, status, target, started);
    }

    private CachedAccessToken Read(JsonElement body, int status, SpiffeId target, DateTimeOffset started)
    {
        if (status != 200)
        {
            // RFC 6749 §5.2: error and error_description.
            var error = String(body, "error");
            var description = String(body, "error_description");
            SpiffeLog.ExchangeRefused(logger, target.ToString(), error ?? $"HTTP {status}", description ?? "");
            throw new TokenExchangeException($"agentfabric: the edge refused the exchange for {target}: {error ?? "HTTP " + status}{(description is null ? "" : " (" + description + ")")}", error, description, status);
        }

        // RFC 8693 §2.2.1: access_token, issued_token_type and token_type are required.
        var token = String(body, "access_token");
        if (string.IsNullOrEmpty(token) || String(body, "issued_token_type") != AccessTokenType
            || !string.Equals(String(body, "token_type"), "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw new TokenExchangeException("agentfabric: the edge's exchange response lacks an access token of type Bearer", "invalid_response", null, status);
        }

        // expires_in is RECOMMENDED (RFC 6749 §5.1): without it the token is used once and not cached.
        var expiry = body.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var seconds) && seconds > 0
            ? started.AddSeconds(seconds)
            : started;
        SpiffeLog.Exchanged(logger, target.ToString(), expiry);
        return new CachedAccessToken(token, expiry);
    }

    private static string? String(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
