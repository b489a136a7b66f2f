using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ResearchAgents.Frontend.Pages;

namespace ResearchAgents.Frontend;

/// <summary>The frontend's pages: <c>GET /</c>, <c>GET /signin</c>, <c>POST /ask</c>, <c>POST /denied</c>,
/// <c>POST /signout</c>. Every POST checks the antiforgery token.</summary>
public static class FrontendEndpoints
{
    public static IEndpointRouteBuilder MapFrontend(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/", (HttpContext http, IAntiforgery antiforgery, string? error) =>
            Page(http, antiforgery, null, error));
        app.MapGet("/signin", () => Results.Challenge(new AuthenticationProperties { RedirectUri = "/" }, [OpenIdConnectDefaults.AuthenticationScheme]));
        app.MapPost("/ask", AskAsync).DisableAntiforgery();
        app.MapPost("/denied", DeniedAsync).DisableAntiforgery();
        app.MapPost("/signout", SignOutAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> AskAsync(HttpContext http, IAntiforgery antiforgery, ResearchCalls calls)
    {
        if (await RefuseAsync(http, antiforgery) is { } refusal)
        {
            return refusal;
        }

        var token = await FrontendSignIn.AccessTokenAsync(http);
        if (token is null)
        {
            return Results.Redirect("/?error=" + Uri.EscapeDataString("Your session has no access token; sign in again."));
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var outcome = await calls.AskAsync(form["question"].ToString(), UserName(http), http.User.FindFirst("sub")?.Value, token, http.RequestAborted);
        return Page(http, antiforgery, outcome, null);
    }

    private static async Task<IResult> DeniedAsync(HttpContext http, IAntiforgery antiforgery, ResearchCalls calls)
    {
        if (await RefuseAsync(http, antiforgery) is { } refusal)
        {
            return refusal;
        }

        var outcome = await calls.CallWriterDirectlyAsync(UserName(http), http.RequestAborted);
        return Page(http, antiforgery, outcome, null);
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (await RefuseAsync(http, antiforgery) is { } refusal)
        {
            return refusal;
        }

        // Ends the local session and the edge's (OIDC RP-Initiated Logout), which sends the browser back to "/".
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
    }

    // Signed out: back to the home page. A missing or wrong antiforgery token: 400.
    private static async Task<IResult?> RefuseAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (http.User.Identity?.IsAuthenticated != true)
        {
            return Results.Redirect("/");
        }

        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request",
                detail: "The form's antiforgery token is missing or wrong; reload the page and try again.");
        }

        return null;
    }

    private static IResult Page(HttpContext http, IAntiforgery antiforgery, ResearchOutcome? outcome, string? error)
    {
        var signedIn = http.User.Identity?.IsAuthenticated == true;
        var tokens = signedIn ? antiforgery.GetAndStoreTokens(http) : null;
        return Results.Content(HomePage.Render(signedIn ? UserName(http) : null, tokens, outcome, error), "text/html; charset=utf-8");
    }

    private static string UserName(HttpContext http) =>
        http.User.Identity?.Name ?? http.User.FindFirst("preferred_username")?.Value ?? http.User.FindFirst("sub")?.Value ?? "(unknown)";
}
