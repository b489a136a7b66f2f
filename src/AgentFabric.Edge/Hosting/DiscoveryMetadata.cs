using System.Text.Json;
using OpenIddict.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AgentFabric.Edge.Hosting;

/// <summary>What the discovery document says beyond OpenIddict's own members.</summary>
internal static class DiscoveryMetadata
{
    /// <summary>RFC 8414 §2: <c>grant_types_supported</c> lists every grant the token endpoint takes. Token exchange is
    /// handled before OpenIddict sees it (<see cref="Endpoints.TokenExchangeEndpoint"/>), so OpenIddict does not list
    /// it itself; a client that reads discovery before asking for an exchange (RFC 8693 §2) needs to find it there.</summary>
    public static void AddTokenExchangeGrant(OpenIddictServerBuilder server) =>
        server.AddEventHandler<HandleConfigurationRequestContext>(handler => handler.UseInlineHandler(context =>
        {
            context.GrantTypes.Add(Exchange.TokenTypes.GrantType);
            return default;
        }));

    /// <summary>RFC 8705 §5: <c>mtls_endpoint_aliases</c> tells clients where to use mutual TLS, and §3.3
    /// <c>tls_client_certificate_bound_access_tokens</c> that tokens issued there are certificate-bound.</summary>
    public static void AddMtlsAliases(OpenIddictServerBuilder server, Uri mtlsEndpoint)
    {
        var aliases = JsonSerializer.SerializeToElement(new Dictionary<string, string>
        {
            ["token_endpoint"] = new Uri(mtlsEndpoint, EdgeEndpoints.Token).AbsoluteUri,
        });
        server.AddEventHandler<HandleConfigurationRequestContext>(handler => handler.UseInlineHandler(context =>
        {
            context.Metadata["mtls_endpoint_aliases"] = new OpenIddictParameter(aliases);
            context.Metadata["tls_client_certificate_bound_access_tokens"] = new OpenIddictParameter(true);
            return default;
        }));
    }
}
