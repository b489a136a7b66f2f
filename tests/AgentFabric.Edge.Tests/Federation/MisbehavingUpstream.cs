using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AgentFabric.Edge.Tests.Federation;

/// <summary>Turns the upstream edge into a provider that issues wrong ID tokens: after OpenIddict made one, its
/// claims are changed and it is signed again with the upstream's own key, so only the changed claim is wrong.</summary>
internal static class MisbehavingUpstream
{
    public static Action<IServiceCollection> IdTokens(Action<JsonObject> tamper) => services =>
        services.AddOpenIddict().AddServer(server => server.AddEventHandler<OpenIddictServerEvents.GenerateTokenContext>(handler =>
            handler.UseInlineHandler(context =>
            {
                if (context.TokenType is TokenTypeIdentifiers.IdentityToken && context.Token is { } token && context.SigningCredentials is { } signing)
                {
                    var payload = JsonNode.Parse(Base64UrlEncoder.Decode(token.Split('.')[1]))!.AsObject();
                    tamper(payload);
                    context.Token = new JsonWebTokenHandler().CreateToken(payload.ToJsonString(), signing,
                        new Dictionary<string, object> { ["typ"] = "JWT" });
                }

                return default;
            }).SetOrder(OpenIddictServerHandlers.Protection.GenerateIdentityModelToken.Descriptor.Order + 1)));

    /// <summary>An upstream whose user refuses to sign in: every authorization request ends in <c>access_denied</c>
    /// sent back to the client's redirect URI (RFC 6749 §4.1.2.1).</summary>
    public static void Refusing(IServiceCollection services) =>
        services.AddOpenIddict().AddServer(server => server.AddEventHandler<OpenIddictServerEvents.HandleAuthorizationRequestContext>(handler =>
            handler.UseInlineHandler(context =>
            {
                context.Reject(Errors.AccessDenied, "The user refused to sign in.");
                return default;
            }).SetOrder(int.MinValue + 100_000)));
}
