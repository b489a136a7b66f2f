using AgentFabric.Edge.Hosting;
using AgentFabric.Edge.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AgentFabric.Edge.Endpoints;

/// <summary>The UserInfo endpoint (OIDC Core §5.3): the claims the access token's scopes allow.</summary>
internal static class UserInfoEndpoint
{
    public static void Map(WebApplication app) =>
        app.MapMethods("/" + EdgeEndpoints.UserInfo, [HttpMethods.Get, HttpMethods.Post], HandleAsync).DisableAntiforgery();

    private static async Task<IResult> HandleAsync(HttpContext http, EdgeUserStore users)
    {
        const string scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;
        var result = await http.AuthenticateAsync(scheme).ConfigureAwait(false);
        var subject = result.Principal?.GetClaim(Claims.Subject);
        var user = subject is null ? null : await users.FindByIdAsync(subject, http.RequestAborted).ConfigureAwait(false);
        if (user is null)
        {
            // RFC 6750 §3.1: the token does not name a person of this edge.
            return Results.Challenge(AuthorizationEndpoint.ErrorProperties(Errors.InvalidToken, "The token does not name a known user."), [scheme]);
        }

        var claims = new Dictionary<string, object?>(StringComparer.Ordinal) { [Claims.Subject] = user.Id };
        if (result.Principal!.HasScope(Scopes.Profile))
        {
            claims[Claims.Name] = user.DisplayName ?? user.UserName;
            claims[Claims.PreferredUsername] = user.UserName;
        }

        if (result.Principal!.HasScope(Scopes.Email) && user.Email is not null)
        {
            claims[Claims.Email] = user.Email;
        }

        return Results.Json(claims);
    }
}
