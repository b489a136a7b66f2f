using AgentFabric.Edge.Keys;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace AgentFabric.Edge.Hosting;

/// <summary>
/// Puts the key ring in OpenIddict's pipeline, whose own key list is fixed at start: each token is signed with the
/// ring's current key, the JWKS lists the ring's published keys (the next key before it signs, the previous one until
/// its tokens expired), and the edge accepts its own tokens signed by any key the ring still keeps.
/// </summary>
internal static class SigningKeyRingHandlers
{
    public static OpenIddictServerBuilder UseSigningKeyRing(this OpenIddictServerBuilder server, EdgeSigningKeyRing ring)
    {
        // OpenIddict needs one key at start; the handlers below replace its choice on every request.
        server.AddSigningKey(ring.Current.Key);
        server.AddEventHandler<GenerateTokenContext>(handler => handler
            .UseInlineHandler(context =>
            {
                context.SigningCredentials = ring.Current.Credentials;
                return default;
            })
            .SetOrder(Protection.AttachSecurityCredentials.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom));
        server.AddEventHandler<ValidateTokenContext>(handler => handler
            .UseInlineHandler(context =>
            {
                context.TokenValidationParameters.IssuerSigningKeys = ring.ValidationKeys;
                return default;
            })
            .SetOrder(Protection.ResolveTokenValidationParameters.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom));
        server.AddEventHandler<HandleJsonWebKeySetRequestContext>(handler => handler
            .UseInlineHandler(context =>
            {
                // RFC 7517 §5: the set is what the ring publishes now, replacing the key OpenIddict started with.
                context.Keys.Clear();
                foreach (var key in ring.Published)
                {
                    context.Keys.Add(key.PublicJwk);
                }

                return default;
            })
            .SetOrder(Discovery.AttachSigningKeys.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom));
        return server;
    }
}
