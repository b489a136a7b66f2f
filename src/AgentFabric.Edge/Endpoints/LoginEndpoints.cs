using System.Security.Claims;
using AgentFabric.Edge.Hosting;
using AgentFabric.Edge.Users;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AgentFabric.Edge.Endpoints;

/// <summary>GET shows the sign-in page; POST checks the password (with antiforgery) and returns to the
/// authorization request that sent the person here.</summary>
internal static class LoginEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/" + EdgeEndpoints.Login, (HttpContext http, IAntiforgery antiforgery, EdgeOptions options, string? returnUrl) =>
            Page(http, antiforgery, options, SafeReturnUrl(returnUrl), null, null, StatusCodes.Status200OK));

        app.MapPost("/" + EdgeEndpoints.Login, async (HttpContext http, IAntiforgery antiforgery, EdgeOptions options, EdgeUserStore users, ILogger<EdgeUserStore> log) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http).ConfigureAwait(false))
            {
                // A login form posted from another site (login CSRF, RFC 9700 §4.4.1.8).
                return Results.BadRequest("The sign-in form expired or came from another site. Reload the page and try again.");
            }

            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var returnUrl = SafeReturnUrl(form["returnUrl"]);
            var userName = form["username"].ToString();
            var password = form["password"].ToString();
            if (userName.Length == 0 || password.Length == 0)
            {
                return Page(http, antiforgery, options, returnUrl, userName, "Enter your user name and password.", StatusCodes.Status400BadRequest);
            }

            var (outcome, user) = await users.SignInAsync(userName, password, http.RequestAborted).ConfigureAwait(false);
            switch (outcome)
            {
                case SignInOutcome.LockedOut:
                    EdgeLog.SignInLockedOut(log);
                    return Page(http, antiforgery, options, returnUrl, userName, "This account is locked after too many failed sign-ins. Try again later.", StatusCodes.Status403Forbidden);
                case SignInOutcome.WrongCredentials:
                    EdgeLog.SignInFailed(log);
                    return Page(http, antiforgery, options, returnUrl, userName, "The user name or password is wrong.", StatusCodes.Status401Unauthorized);
            }

            var identity = new ClaimsIdentity(EdgeHost.LoginScheme, Claims.Name, Claims.Role);
            identity.AddClaim(new Claim(Claims.Subject, user!.Id));
            identity.AddClaim(new Claim(Claims.Name, user.UserName));
            await http.SignInAsync(EdgeHost.LoginScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
            EdgeLog.SignedIn(log, user.Id);
            return Results.Redirect(returnUrl);
        });
    }

    private static IResult Page(HttpContext http, IAntiforgery antiforgery, EdgeOptions options, string returnUrl, string? userName, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Frame-Options"] = "DENY";
        // form-action also governs where a form's redirects go: back to the client, and to the upstream providers.
        http.Response.Headers["Content-Security-Policy"] = LoginContentSecurityPolicy.For(returnUrl, options.Upstreams.Select(u => u.Issuer!));
        return Results.Content(LoginPage.Render(returnUrl, tokens.FormFieldName, tokens.RequestToken ?? "", userName, error, [.. options.Upstreams]),
            "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>Only the edge's own authorization endpoint: an open redirect would let anyone bounce a signed-in
    /// person anywhere (RFC 9700 §4.11).</summary>
    internal static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is not null && returnUrl.StartsWith("/" + EdgeEndpoints.Authorize + "?", StringComparison.Ordinal)
            ? returnUrl
            : "/" + EdgeEndpoints.Authorize;
}
