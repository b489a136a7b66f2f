using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using ResearchAgents.Hosting;

namespace ResearchAgents.Frontend;

/// <summary>
/// How people sign in: ASP.NET Core's OpenID Connect handler against the edge, as a public client
/// (<c>AGENTFABRIC_FRONTEND_CLIENT_ID</c>) using the authorization code flow with PKCE S256 (OIDC Core §3.1, RFC 7636),
/// the session in a cookie that also keeps the user's access and refresh tokens (they are exchanged for the researcher's
/// audience on each question).
/// </summary>
public static class FrontendSignIn
{
    public const string CookieName = "ResearchAgents.Frontend";

    public static IServiceCollection AddFrontendSignIn(this IServiceCollection services, AgentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddAntiforgery(a => a.Cookie.Name = CookieName + ".Antiforgery");
        services.AddAuthentication(o =>
            {
                // After AddSpiffeWorkload, which made its SPIFFE scheme the default: people here are cookie users.
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.SlidingExpiration = false;
                o.ExpireTimeSpan = TimeSpan.FromHours(1);
            })
            .AddOpenIdConnect(o =>
            {
                o.Authority = settings.EdgeUrl.ToString();

                // The edge that `agentfabric up` runs speaks plain HTTP on loopback; anywhere else metadata must be HTTPS.
                o.RequireHttpsMetadata = !settings.EdgeUrl.IsLoopback;
                o.ClientId = settings.FrontendClientId;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.UsePkce = true;
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.Scope.Add("profile");
                o.Scope.Add("offline_access");
                o.SaveTokens = true;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = "name";
                o.CallbackPath = "/signin-oidc";
                o.SignedOutCallbackPath = "/signout-callback-oidc";
                o.SignedOutRedirectUri = "/";

                // The person's browser reaches the frontend over HTTP on loopback: the correlation and nonce cookies
                // must not be Secure there, or the browser drops them and the callback fails.
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.Events.OnRemoteFailure = context =>
                {
                    // A refused login or a cancelled one: back to the home page with the reason, not an error page.
                    context.Response.Redirect("/?error=" + Uri.EscapeDataString(context.Failure?.Message ?? "sign-in failed"));
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
            });
        return services;
    }

    /// <summary>The signed-in person's access token from the edge, or null.</summary>
    public static Task<string?> AccessTokenAsync(HttpContext http) => http.GetTokenAsync("access_token");
}
