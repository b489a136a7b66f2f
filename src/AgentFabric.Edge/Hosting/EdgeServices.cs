using AgentFabric.Edge.Clients;
using AgentFabric.Edge.Exchange;
using AgentFabric.Edge.Federation;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Edge.Keys;
using AgentFabric.Edge.Store;
using AgentFabric.Edge.Users;
using Microsoft.Extensions.DependencyInjection;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AgentFabric.Edge.Hosting;

/// <summary>The edge's services: the database, the user and client stores and the OpenIddict server.</summary>
public static class EdgeServices
{
    /// <summary>The stores only (what <c>agentfabric edge user|client</c> needs, without a server).</summary>
    public static IServiceCollection AddEdgeStores(this IServiceCollection services, EdgeOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new EdgeConfigException(string.Join("; ", errors));
        }

        Directory.CreateDirectory(options.DataDirectory);
        services.AddSingleton(options);
        services.AddSingleton(timeProvider);
        services.AddEdgeDatabase(options);
        services.AddOpenIddict().AddCore(core => core.UseEntityFrameworkCore().UseDbContext<EdgeDbContext>());
        services.AddScoped<EdgeUserStore>();
        services.AddScoped<EdgeClientStore>();
        return services;
    }

    /// <summary>The stores and the OpenIddict server with every flow the edge offers; agents are checked against
    /// <paramref name="trust"/> (the container disposes it).</summary>
    public static IServiceCollection AddEdgeServer(this IServiceCollection services, EdgeOptions options, TimeProvider timeProvider, EdgeTrustSources trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        services.AddEdgeStores(options, timeProvider);
        var ring = EdgeSigningKeyRing.Open(options, timeProvider);
        var encryptionKey = EdgeKeyFiles.LoadOrCreateEncryptionKey(options.DataDirectory);
        var loopbackHttp = options.Issuer!.Scheme == Uri.UriSchemeHttp;
        services.AddSingleton(ring);
        services.AddSingleton(new EdgeSigningCredentials(ring));
        services.AddSingleton(_ => trust); // a factory, so that the container disposes the live sources
        services.AddSingleton(sp => sp.GetRequiredService<EdgeTrustSources>().JwtBundles);
        services.AddSingleton(sp => sp.GetRequiredService<EdgeTrustSources>().X509Bundles);
        services.AddExchangePolicy(options);
        services.AddSingleton<AssertionReplayCache>();
        services.AddHttpClient(nameof(ExternalIssuer), http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<SubjectTokenValidator>();
        services.AddSingleton<TokenExchangeService>();
        services.AddOpenIddict().AddServer(server =>
        {
            server.SetIssuer(options.Issuer!);
            server.SetAuthorizationEndpointUris(EdgeEndpoints.Authorize)
                .SetTokenEndpointUris(EdgeEndpoints.Token)
                .SetIntrospectionEndpointUris(EdgeEndpoints.Introspect)
                .SetRevocationEndpointUris(EdgeEndpoints.Revoke)
                .SetUserInfoEndpointUris(EdgeEndpoints.UserInfo)
                .SetEndSessionEndpointUris(EdgeEndpoints.EndSession);
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                .AllowRefreshTokenFlow()
                .AllowClientCredentialsFlow();
            server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess);
            server.UseSigningKeyRing(ring);
            server.AddEncryptionKey(encryptionKey);
            // RFC 9068: resources verify access tokens as signed JWTs from the JWKS alone.
            server.DisableAccessTokenEncryption();
            server.SetAccessTokenLifetime(options.AccessTokenLifetime)
                .SetIdentityTokenLifetime(options.IdentityTokenLifetime)
                .SetRefreshTokenLifetime(options.RefreshTokenLifetime)
                .SetAuthorizationCodeLifetime(options.AuthorizationCodeLifetime);
            // Rolling refresh tokens (the default) rotate: a redeemed refresh token is revoked, and reusing it
            // revokes the whole chain (RFC 9700 §4.14.2).
            server.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
            // S256 only: "plain" gives no protection against an intercepted authorization request (RFC 9700 §2.1.1).
            server.Configure(o => o.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
            DiscoveryMetadata.AddTokenExchangeGrant(server);
            if (options.MtlsEndpoint is not null)
            {
                DiscoveryMetadata.AddMtlsAliases(server, options.MtlsEndpoint);
            }

            var aspNetCore = server.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableTokenEndpointPassthrough()
                .EnableUserInfoEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough();
            if (loopbackHttp)
            {
                aspNetCore.DisableTransportSecurityRequirement();
            }
        });
        services.AddUpstreamFederation(options, encryptionKey);
        return services;
    }
}
