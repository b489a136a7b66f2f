using System.Security.Claims;
using AgentFabric.Edge.Hosting;
using AgentFabric.Edge.Users;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AgentFabric.Edge.Endpoints;

/// <summary>
/// The token endpoint after OpenIddict authenticated the client and validated the grant: the code and refresh
/// grants re-check that the person still exists; client credentials issue a token whose subject is the client.
/// </summary>
internal static class TokenEndpoint
{
    public static void Map(WebApplication app) =>
        app.MapPost("/" + EdgeEndpoints.Token, HandleAsync).DisableAntiforgery();

    private static async Task<IResult> HandleAsync(HttpContext http, EdgeUserStore users, EdgeOptions options)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("edge: the OpenIddict request is missing from the token endpoint");
        const string scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await http.AuthenticateAsync(scheme).ConfigureAwait(false);
            if (EdgeClaims.IdentityProviderOf(result.Principal) is { } upstream)
            {
                // A federated person: the grant carries the claims mapped at sign-in; it stays good while the
                // provider they came through is configured.
                return options.Upstreams.Any(u => u.Name == upstream)
                    ? Results.SignIn(new ClaimsPrincipal(EdgeClaims.ForFederated(result.Principal!, result.Principal!.GetScopes(), scheme)), properties: null, scheme)
                    : Results.Forbid(AuthorizationEndpoint.ErrorProperties(Errors.InvalidGrant, $"The upstream provider \"{upstream}\" is no longer configured."), [scheme]);
            }

            var subject = result.Principal?.GetClaim(Claims.Subject);
            var user = subject is null ? null : await users.FindByIdAsync(subject, http.RequestAborted).ConfigureAwait(false);
            if (user is null)
            {
                // RFC 6749 §5.2: the grant was issued to a person who no longer exists.
                return Results.Forbid(AuthorizationEndpoint.ErrorProperties(Errors.InvalidGrant, "The user no longer exists."), [scheme]);
            }

            var identity = EdgeClaims.ForUser(user, result.Principal!.GetScopes(), scheme);
            return Results.SignIn(new ClaimsPrincipal(identity), properties: null, scheme);
        }

        if (request.IsClientCredentialsGrantType())
        {
            // RFC 6749 §4.4: the client acts for itself, so it is the subject (RFC 9068 §2.2).
            var identity = new ClaimsIdentity(scheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId);
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), properties: null, scheme);
        }

        return Results.Forbid(AuthorizationEndpoint.ErrorProperties(Errors.UnsupportedGrantType, "The grant type is not supported."), [scheme]);
    }
}
