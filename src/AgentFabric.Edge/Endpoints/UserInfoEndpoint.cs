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
        if (EdgeClaims.IdentityProviderOf(result.Principal) is not null)
        {
            return Results.Json(FederatedClaims(result.Principal!));
        }

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

    /// <summary>A federated person's claims as the access token carries them (mapped at sign-in), filtered by scope
    /// as for a local user (OIDC Core §5.4).</summary>
    private static Dictionary<string, object?> FederatedClaims(System.Security.Claims.ClaimsPrincipal principal)
    {
        var claims = new Dictionary<string, object?>(StringComparer.Ordinal) { [Claims.Subject] = principal.GetClaim(Claims.Subject) };
        var wanted = new List<string>();
        if (principal.HasScope(Scopes.Profile))
        {
            wanted.AddRange([Claims.Name, Claims.PreferredUsername]);
        }

        if (principal.HasScope(Scopes.Email))
        {
            wanted.Add(Claims.Email);
        }

        foreach (var type in wanted)
        {
            if (principal.GetClaim(type) is { } value)
            {
                claims[type] = value;
            }
        }

        return claims;
    }
}
