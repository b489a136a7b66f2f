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
/// The authorization endpoint (OIDC Core §3.1.2) after OpenIddict validated the request (client, redirect URI,
/// PKCE S256): a person not signed in is sent to the login page and back; a signed-in one gets a code.
/// </summary>
internal static class AuthorizationEndpoint
{
    public static void Map(WebApplication app) =>
        app.MapMethods("/" + EdgeEndpoints.Authorize, [HttpMethods.Get, HttpMethods.Post], HandleAsync).DisableAntiforgery();

    private static async Task<IResult> HandleAsync(HttpContext http, EdgeUserStore users, EdgeOptions options)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("edge: the OpenIddict request is missing from the authorization endpoint");
        var login = await http.AuthenticateAsync(EdgeHost.LoginScheme).ConfigureAwait(false);
        var subject = login.Succeeded ? login.Principal.GetClaim(Claims.Subject) : null;
        // A person federated from an upstream has no local account: the login cookie holds the mapped claims, good
        // while that provider is still configured.
        var upstream = EdgeClaims.IdentityProviderOf(login.Principal);
        var federated = subject is not null && upstream is not null && options.Upstreams.Any(u => u.Name == upstream);
        var user = subject is null || upstream is not null ? null : await users.FindByIdAsync(subject, http.RequestAborted).ConfigureAwait(false);
        if ((user is null && !federated) || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                // OIDC Core §3.1.2.6: prompt=none and nobody signed in is login_required.
                return Results.Forbid(ErrorProperties(Errors.LoginRequired, "The user is not signed in."),
                    [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            var query = http.Request.HasFormContentType
                ? QueryString.Create(request.GetParameters().Where(p => p.Key != Parameters.Prompt)
                    .Select(p => new KeyValuePair<string, string?>(p.Key, (string?)p.Value)))
                : http.Request.QueryString;
            return Results.Redirect($"/{EdgeEndpoints.Login}?returnUrl={Uri.EscapeDataString("/" + EdgeEndpoints.Authorize + query)}");
        }

        var identity = user is not null
            ? EdgeClaims.ForUser(user, request.GetScopes(), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
            : EdgeClaims.ForFederated(login.Principal!, request.GetScopes(), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        return Results.SignIn(new System.Security.Claims.ClaimsPrincipal(identity), properties: null,
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    internal static AuthenticationProperties ErrorProperties(string error, string description) =>
        new(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        });
}
