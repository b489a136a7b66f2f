using System.Security.Claims;
using AgentFabric.Edge.Federation;
using AgentFabric.Edge.Hosting;
using AgentFabric.Edge.Users;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenIddict.Client.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AgentFabric.Edge.Endpoints;

/// <summary>
/// Sign-in through an upstream provider. POST <c>account/upstream/{name}</c> (from the login page, with
/// antiforgery) sends the person to the provider; the provider sends them back to
/// <c>account/upstream-callback</c>, where OpenIddict has redeemed the code and validated the ID token; the mapped
/// identity goes into the login cookie and the authorization request that started it all resumes.
/// </summary>
internal static class UpstreamEndpoints
{
    private const string ClientScheme = OpenIddictClientAspNetCoreDefaults.AuthenticationScheme;

    public static void Map(WebApplication app)
    {
        app.MapPost("/" + EdgeEndpoints.UpstreamLogin + "/{name}", StartAsync);
        // form_post (OAuth 2.0 Form Post Response Mode) arrives as a POST from the provider's page: no antiforgery
        // token is possible there; the state, bound to this browser by OpenIddict's cookie, is the CSRF defence.
        app.MapMethods("/" + EdgeEndpoints.UpstreamCallback, [HttpMethods.Get, HttpMethods.Post], CallbackAsync).DisableAntiforgery();
    }

    private static async Task<IResult> StartAsync(HttpContext http, string name, IAntiforgery antiforgery, EdgeOptions options,
        OpenIddict.Client.OpenIddictClientService client, ILogger<UpstreamProvider> log)
    {
        if (!await antiforgery.IsRequestValidAsync(http).ConfigureAwait(false))
        {
            // Login CSRF (RFC 9700 §4.4.1.8): a sign-in started from another site.
            return SignInProblemPage.Result(http, "The sign-in form expired or came from another site. Reload the page and try again.", StatusCodes.Status400BadRequest);
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var returnUrl = LoginEndpoints.SafeReturnUrl(form["returnUrl"]);
        var upstream = options.Upstreams.FirstOrDefault(u => u.Name == name);
        if (upstream is null)
        {
            return SignInProblemPage.Result(http, $"There is no sign-in provider called \"{name}\".", StatusCodes.Status404NotFound, returnUrl);
        }

        var properties = new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictClientAspNetCoreConstants.Properties.RegistrationId] = upstream.Name,
        })
        {
            RedirectUri = returnUrl,
        };
        try
        {
            // The provider's discovery document (OIDC Discovery §4, cached by OpenIddict): fetched here first so
            // that a provider that is down gets our page, not OpenIddict's plain-text challenge error.
            await client.GetServerConfigurationByRegistrationIdAsync(upstream.Name, http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or OpenIddict.Abstractions.OpenIddictExceptions.ProtocolException
            or TaskCanceledException { CancellationToken.IsCancellationRequested: false })
        {
            // The provider is down or its discovery document unusable: a gateway problem, not the person's.
            EdgeLog.UpstreamUnreachable(log, upstream.Name, e);
            return SignInProblemPage.Result(http, $"{upstream.Label} cannot be reached right now, so you cannot sign in with it. Try again later or sign in another way.",
                StatusCodes.Status502BadGateway, returnUrl);
        }

        // Redirects to the provider's authorization endpoint with state, nonce and the PKCE challenge.
        await http.ChallengeAsync(ClientScheme, properties).ConfigureAwait(false);
        return Results.Empty;
    }

    private static async Task<IResult> CallbackAsync(HttpContext http, EdgeOptions options, EdgeUserStore users, TimeProvider time, ILogger<UpstreamProvider> log)
    {
        var result = await http.AuthenticateAsync(ClientScheme).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return Failed(http, result.Properties, log);
        }

        var returnUrl = LoginEndpoints.SafeReturnUrl(result.Properties?.RedirectUri);
        var name = result.Principal.FindFirst(Claims.Private.RegistrationId)?.Value
            ?? result.Properties?.GetString(OpenIddictClientAspNetCoreConstants.Properties.RegistrationId);
        var upstream = options.Upstreams.FirstOrDefault(u => u.Name == name);
        if (upstream is null)
        {
            return SignInProblemPage.Result(http, "The sign-in provider that answered is no longer configured here.", StatusCodes.Status400BadRequest, returnUrl);
        }

        ClaimsIdentity identity;
        if (upstream.SubjectMapping == UpstreamSubjectMapping.LocalUser)
        {
            if (!UpstreamClaimMapper.TryLocalUserName(upstream, result.Principal, out var userName, out var error))
            {
                return Refused(http, upstream, error!, returnUrl, log);
            }

            var user = await users.FindAsync(userName, http.RequestAborted).ConfigureAwait(false);
            if (user is null)
            {
                return Refused(http, upstream, $"{upstream.Label} signed you in as \"{userName}\", but there is no such account here.", returnUrl, log);
            }

            if (user.LockedUntil is { } until && until > time.GetUtcNow())
            {
                return Refused(http, upstream, "This account is locked after too many failed sign-ins. Try again later.", returnUrl, log);
            }

            identity = new ClaimsIdentity(EdgeHost.LoginScheme, Claims.Name, Claims.Role);
            identity.AddClaim(new Claim(Claims.Subject, user.Id));
            identity.AddClaim(new Claim(Claims.Name, user.UserName));
        }
        else if (!UpstreamClaimMapper.TryMap(upstream, result.Principal, EdgeHost.LoginScheme, out identity!, out var error))
        {
            return Refused(http, upstream, error!, returnUrl, log);
        }

        await http.SignInAsync(EdgeHost.LoginScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        EdgeLog.SignedInUpstream(log, identity.FindFirst(Claims.Subject)!.Value, upstream.Name);
        return Results.Redirect(returnUrl);
    }

    /// <summary>The provider answered with an error (RFC 6749 §4.1.2.1), or OpenIddict refused its answer: a state
    /// that is not this browser's, an ID token with the wrong issuer, audience, nonce or signature...</summary>
    private static IResult Failed(HttpContext http, AuthenticationProperties? properties, ILogger log)
    {
        var error = properties?.GetString(OpenIddictClientAspNetCoreConstants.Properties.Error) ?? Errors.ServerError;
        var description = properties?.GetString(OpenIddictClientAspNetCoreConstants.Properties.ErrorDescription) ?? "The sign-in could not be completed.";
        EdgeLog.UpstreamSignInFailed(log, error, description);
        var status = error switch
        {
            Errors.AccessDenied or Errors.LoginRequired or Errors.ConsentRequired or Errors.InteractionRequired => StatusCodes.Status403Forbidden,
            Errors.ServerError or Errors.TemporarilyUnavailable => StatusCodes.Status502BadGateway,
            _ => StatusCodes.Status400BadRequest,
        };
        return SignInProblemPage.Result(http, $"The sign-in did not complete ({error}): {description}", status);
    }

    private static IResult Refused(HttpContext http, UpstreamProvider upstream, string reason, string returnUrl, ILogger log)
    {
        EdgeLog.UpstreamSignInRefused(log, upstream.Name, reason);
        return SignInProblemPage.Result(http, reason, StatusCodes.Status403Forbidden, returnUrl);
    }
}
