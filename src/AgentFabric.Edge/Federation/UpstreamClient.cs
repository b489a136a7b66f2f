using System.Security.Cryptography;
using AgentFabric.Edge.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Client;
using Polly;
using Polly.Retry;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AgentFabric.Edge.Federation;

/// <summary>
/// The OpenIddict client that signs people in at the upstream providers: one registration per provider, the
/// authorization code flow with PKCE (S256), the callback at <see cref="EdgeEndpoints.UpstreamCallback"/> handled
/// by <c>Endpoints.UpstreamEndpoints</c>. OpenIddict validates the ID token (issuer, audience, nonce, signature
/// from the provider's JWKS, lifetime: OIDC Core §3.1.3.7) and the state (bound to a browser cookie, RFC 9700
/// §4.7.1); its state tokens are encrypted with the edge's key and signed with a key derived from it.
/// </summary>
internal static class UpstreamClient
{
    /// <summary>How long one request to a provider (discovery, JWKS, token, userinfo) may take.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddUpstreamFederation(this IServiceCollection services, EdgeOptions options, SymmetricSecurityKey encryptionKey)
    {
        if (options.Upstreams.Count == 0)
        {
            return services;
        }

        var issuer = options.Issuer!;
        var registrations = options.Upstreams.Select(upstream => Registration(upstream, issuer)).ToList();
        services.AddOpenIddict().AddClient(client =>
        {
            client.AllowAuthorizationCodeFlow();
            client.SetRedirectionEndpointUris(EdgeEndpoints.UpstreamCallback);
            client.AddEncryptionKey(encryptionKey);
            client.AddSigningKey(StateSigningKey(encryptionKey));
            foreach (var registration in registrations)
            {
                client.AddRegistration(registration);
            }

            // A person waits in the browser while the edge talks to the provider: one quick retry of a transient
            // failure, then the error page, instead of the default pipeline's backoff of several seconds.
            client.UseSystemNetHttp()
                .SetProductInformation(typeof(UpstreamClient).Assembly)
                .ConfigureHttpClient(http => http.Timeout = RequestTimeout)
                .SetHttpResiliencePipeline(pipeline => pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = 1,
                    Delay = TimeSpan.FromMilliseconds(200),
                    ShouldHandle = args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                }));
            var aspNetCore = client.UseAspNetCore()
                .EnableRedirectionEndpointPassthrough()
                .EnableErrorPassthrough()
                // Providers are chosen by registration id; a scheme per provider name could clash with ours.
                .DisableAutomaticAuthenticationSchemeForwarding();
            if (issuer.Scheme == Uri.UriSchemeHttp)
            {
                // Loopback http (tests, development): a Secure, SameSite=None state cookie would never come back
                // over http, so it is Lax there; over https OpenIddict's Secure SameSite=None cookie stands.
                aspNetCore.DisableTransportSecurityRequirement().Configure(o =>
                {
                    o.CookieBuilder.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
                    o.CookieBuilder.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax;
                });
            }
        });
        return services;
    }

    private static OpenIddictClientRegistration Registration(UpstreamProvider upstream, Uri issuer)
    {
        var registration = new OpenIddictClientRegistration
        {
            RegistrationId = upstream.Name,
            ProviderName = upstream.Name,
            ProviderDisplayName = upstream.Label,
            Issuer = upstream.Issuer,
            ClientId = upstream.ClientId,
            ClientSecret = upstream.ResolveClientSecret(),
            RedirectUri = new Uri(issuer, EdgeEndpoints.UpstreamCallback),
        };
        registration.Scopes.UnionWith(upstream.Scopes);
        registration.GrantTypes.Add(GrantTypes.AuthorizationCode);
        registration.ResponseTypes.Add(ResponseTypes.Code);
        // RFC 9700 §2.1.1: PKCE with S256, never plain.
        registration.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
        return registration;
    }

    /// <summary>A key of its own for signing state tokens (HKDF, RFC 5869), so no key serves two purposes.</summary>
    private static SymmetricSecurityKey StateSigningKey(SymmetricSecurityKey encryptionKey) =>
        new(HKDF.DeriveKey(HashAlgorithmName.SHA256, encryptionKey.Key, 32, salt: [], info: "AgentFabric.Edge upstream state signing"u8.ToArray()));
}
