using AgentFabric.Edge.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OpenIddict.Server.AspNetCore;

namespace AgentFabric.Edge.Endpoints;

/// <summary>RP-initiated logout (OIDC RP-Initiated Logout §2): ends the login session, then OpenIddict redirects to
/// the registered <c>post_logout_redirect_uri</c>.</summary>
internal static class EndSessionEndpoint
{
    public static void Map(WebApplication app) =>
        app.MapMethods("/" + EdgeEndpoints.EndSession, [HttpMethods.Get, HttpMethods.Post], (Delegate)HandleAsync).DisableAntiforgery();

    private static async Task<IResult> HandleAsync(HttpContext http)
    {
        await http.SignOutAsync(EdgeHost.LoginScheme).ConfigureAwait(false);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
