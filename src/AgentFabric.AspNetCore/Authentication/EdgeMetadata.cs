using System.Collections.Concurrent;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace AgentFabric.AspNetCore;

/// <summary>
/// The edge's OpenID Provider metadata (OIDC Discovery §4: <c>/.well-known/openid-configuration</c>) and its JWKS,
/// cached per issuer and re-read on a schedule or when a token names an unknown key. Shared by token verification
/// (keys) and token exchange (<c>token_endpoint</c>).
/// </summary>
internal sealed class EdgeMetadata(IHttpClientFactory httpClients)
{
    /// <summary>The named client used to reach the edge.</summary>
    public const string HttpClientName = "AgentFabric.Edge";

    private readonly ConcurrentDictionary<Uri, ConfigurationManager<OpenIdConnectConfiguration>> _managers = new();

    /// <summary>The issuer's metadata. Throws <see cref="EdgeMetadataException"/> when it cannot be read or names
    /// another issuer.</summary>
    public async ValueTask<OpenIdConnectConfiguration> GetAsync(Uri issuer, TimeSpan refresh, TimeSpan minimumRefresh, CancellationToken cancellationToken)
    {
        var manager = _managers.GetOrAdd(issuer, i => Create(i, refresh, minimumRefresh));
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await manager.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or HttpRequestException or ArgumentException)
        {
            throw new EdgeMetadataException($"agentfabric: the edge's metadata at {issuer} could not be read: {e.Message}", e);
        }

        // OIDC Discovery §4.3: the issuer in the document must be identical to the URL it was fetched for.
        if (!string.Equals(configuration.Issuer, issuer.ToString(), StringComparison.Ordinal))
        {
            throw new EdgeMetadataException($"agentfabric: the edge's metadata names issuer \"{configuration.Issuer}\", not \"{issuer}\"");
        }

        return configuration;
    }

    /// <summary>Asks for a re-read on the next <see cref="GetAsync"/> (rate-limited by the minimum refresh).</summary>
    public void RequestRefresh(Uri issuer)
    {
        if (_managers.TryGetValue(issuer, out var manager))
        {
            manager.RequestRefresh();
        }
    }

    private ConfigurationManager<OpenIdConnectConfiguration> Create(Uri issuer, TimeSpan refresh, TimeSpan minimumRefresh)
    {
        var http = httpClients.CreateClient(HttpClientName);
        var retriever = new HttpDocumentRetriever(http) { RequireHttps = issuer.Scheme == Uri.UriSchemeHttps };
        // OIDC Discovery §4: the issuer with "/.well-known/openid-configuration" appended.
        var address = issuer.ToString().TrimEnd('/') + "/.well-known/openid-configuration";
        return new ConfigurationManager<OpenIdConnectConfiguration>(address, new OpenIdConnectConfigurationRetriever(), retriever)
        {
            AutomaticRefreshInterval = refresh,
            RefreshInterval = minimumRefresh,
        };
    }
}
