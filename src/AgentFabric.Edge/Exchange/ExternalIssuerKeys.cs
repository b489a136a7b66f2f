using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.Edge.Exchange;

/// <summary>
/// The signing keys of one external issuer: a static JWKS file, or fetched (from its JWKS URI or its discovery
/// document's <c>jwks_uri</c>), cached for <see cref="ExternalIssuer.KeyCacheLifetime"/> and fetched again when a token
/// names a <c>kid</c> the cache lacks (at most once per <see cref="ExternalIssuer.MinimumRefreshInterval"/>).
/// A fetch that fails leaves no keys: tokens are refused, never accepted unchecked.
/// </summary>
internal sealed class ExternalIssuerKeys
{
    private readonly ExternalIssuer _issuer;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private IReadOnlyList<SecurityKey> _keys = [];
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;
    private readonly bool _static;

    public ExternalIssuerKeys(ExternalIssuer issuer, HttpClient http, TimeProvider time)
    {
        _issuer = issuer;
        _http = http;
        _time = time;
        if (issuer.JwksPath is not null)
        {
            try
            {
                _keys = [.. new JsonWebKeySet(File.ReadAllText(issuer.JwksPath)).GetSigningKeys()];
                _static = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new EdgeConfigException($"edge: cannot read the JWKS file {issuer.JwksPath} of external issuer {issuer.Issuer}: {e.Message}", e);
            }
        }
    }

    public ExternalIssuer Issuer => _issuer;

    /// <summary>The keys to check a token with <paramref name="kid"/> against. Throws
    /// <see cref="TokenExchangeException"/> when the keys cannot be fetched or none has that kid.</summary>
    public async Task<IReadOnlyList<SecurityKey>> KeysForAsync(string? kid, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!_static && (now - _fetchedAt >= _issuer.KeyCacheLifetime
            || (!Has(kid) && now - _fetchedAt >= _issuer.MinimumRefreshInterval)))
        {
            await RefreshAsync(_fetchedAt, now, cancellationToken).ConfigureAwait(false);
        }

        if (!Has(kid))
        {
            throw TokenExchangeException.InvalidRequest(kid is null
                ? $"The subject token has no kid and the JWKS of {_issuer.Issuer} has more than one key."
                : $"The subject token's key \"{kid}\" is not in the JWKS of {_issuer.Issuer}.");
        }

        return kid is null ? _keys : [.. _keys.Where(k => k.KeyId == kid)];
    }

    private bool Has(string? kid) => kid is null ? _keys.Count == 1 : _keys.Any(k => k.KeyId == kid);

    private async Task RefreshAsync(DateTimeOffset seen, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_fetchedAt != seen)
            {
                return; // another request refreshed while this one waited
            }

            _fetchedAt = now;
            try
            {
                var jwksUri = _issuer.JwksUri ?? await DiscoverJwksUriAsync(cancellationToken).ConfigureAwait(false);
                var jwks = await _http.GetStringAsync(jwksUri, cancellationToken).ConfigureAwait(false);
                _keys = [.. new JsonWebKeySet(jwks).GetSigningKeys()];
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or ArgumentException or TaskCanceledException or InvalidOperationException)
            {
                _keys = [];
                throw TokenExchangeException.InvalidRequest($"The keys of {_issuer.Issuer} cannot be fetched: {e.Message}");
            }
        }
        finally
        {
            _fetch.Release();
        }
    }

    /// <summary>OIDC Discovery §4: the document is at the issuer + <c>/.well-known/openid-configuration</c>, and its
    /// <c>issuer</c> must be exactly the configured one (§4.3).</summary>
    private async Task<Uri> DiscoverJwksUriAsync(CancellationToken cancellationToken)
    {
        var issuer = _issuer.Issuer!.OriginalString.TrimEnd('/');
        using var document = await _http.GetFromJsonAsync<JsonDocument>(issuer + "/.well-known/openid-configuration", cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("the discovery document is empty");
        var root = document.RootElement;
        if (!root.TryGetProperty("issuer", out var named) || named.ValueKind != JsonValueKind.String
            || named.GetString()!.TrimEnd('/') != issuer)
        {
            throw new InvalidOperationException("the discovery document names another issuer");
        }

        if (!root.TryGetProperty("jwks_uri", out var jwks) || jwks.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(jwks.GetString(), UriKind.Absolute, out var jwksUri))
        {
            throw new InvalidOperationException("the discovery document has no jwks_uri");
        }

        return jwksUri;
    }
}
