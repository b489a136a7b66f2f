using System.Diagnostics;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentFabric.Spiffe;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AgentFabric.AspNetCore;

/// <summary>
/// Authenticates the calling workload from the connection's verified mTLS peer (<see cref="ISpiffePeerFeature"/>) and,
/// when the request carries <c>Authorization: Bearer</c> (RFC 6750 §2.1), the user and delegation chain of the
/// exchanged token. No verified peer: <see cref="AuthenticateResult.NoResult"/> (the scheme does not apply).
/// </summary>
internal sealed class SpiffeAuthenticationHandler(
    IOptionsMonitor<SpiffeAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    SpiffeSources sources,
    ExchangedTokenValidator tokens)
    : AuthenticationHandler<SpiffeAuthenticationOptions>(options, loggerFactory, encoder)
{
    private new SpiffeAuthenticationEvents Events => (SpiffeAuthenticationEvents)base.Events!;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var peer = Context.Features.Get<ISpiffePeerFeature>();
        if (peer is not { IsVerified: true })
        {
            return AuthenticateResult.NoResult();
        }

        var caller = peer.PeerId;
        SpiffeActivityTags.SetCaller(Activity.Current, caller);
        var workload = new ClaimsIdentity(Scheme.Name, SpiffeClaimTypes.SpiffeId, ClaimTypes.Role);
        workload.AddClaim(new Claim(SpiffeClaimTypes.SpiffeId, caller.ToString()));
        workload.AddClaim(new Claim(SpiffeClaimTypes.TrustDomain, caller.TrustDomain.ToString()));
        var principal = new ClaimsPrincipal(workload);

        ExchangedToken? exchanged = null;
        var bearer = BearerToken();
        if (bearer.Error is not null)
        {
            return await FailAsync(bearer.Error).ConfigureAwait(false);
        }

        if (bearer.Token is { } bearerToken)
        {
            SpiffeId self;
            try
            {
                self = sources.CurrentId;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return await FailAsync("this workload has no SVID to check the token's audience against").ConfigureAwait(false);
            }

            var (token, error) = await tokens.ValidateAsync(bearerToken, self, caller, peer.Certificate, Options, Context.RequestAborted).ConfigureAwait(false);
            if (token is null)
            {
                return await FailAsync(error!).ConfigureAwait(false);
            }

            exchanged = token;
            principal.AddIdentity(token.UserIdentity(UserIdentity));
        }
        else if (Options.RequireUserToken)
        {
            return await FailAsync("the request carries no exchanged user token").ConfigureAwait(false);
        }

        var authenticated = new SpiffeAuthenticatedContext(Context, Scheme, Options, caller, exchanged, principal);
        await Events.Authenticated(authenticated).ConfigureAwait(false);
        if (authenticated.Result is not null)
        {
            return authenticated.Result;
        }

        Context.Features.Set<ISpiffeCallerFeature>(new SpiffeCallerFeature(caller, exchanged));
        authenticated.Success();
        return authenticated.Result!;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // RFC 6750 §3: a request with a bad token gets error="invalid_token" and a description.
        Response.Headers.WWWAuthenticate = result.Failure is { } failure
            ? $"Bearer error=\"invalid_token\", error_description=\"{failure.Message.Replace("\"", "'", StringComparison.Ordinal)}\""
            : "Bearer";
    }

    private async Task<AuthenticateResult> FailAsync(string error)
    {
        SpiffeLog.AuthenticationFailed(Logger, error);
        var failed = new SpiffeAuthenticationFailedContext(Context, Scheme, Options, error);
        await Events.AuthenticationFailed(failed).ConfigureAwait(false);
        return failed.Result ?? AuthenticateResult.Fail(error);
    }

    private (ReadOnlyMemory<char>? Token, string? Error) BearerToken()
    {
        var values = Request.Headers.Authorization;
        if (values.Count == 0)
        {
            return (null, null);
        }

        if (values.Count > 1)
        {
            return (null, "the request has more than one Authorization header");
        }

        var value = values[0] ?? "";
        // RFC 6750 §2.1: "Bearer" (case-insensitive scheme, RFC 9110 §11.1) followed by the token.
        if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || value.Length <= 7)
        {
            return (null, "the Authorization header is not a Bearer token");
        }

        return (value.AsMemory(7).Trim(), null);
    }

    private static ClaimsIdentity UserIdentity(ExchangedToken token)
    {
        var user = new ClaimsIdentity(SpiffeAuthenticationDefaults.ExchangedTokenAuthenticationType, SpiffeClaimTypes.Subject, "roles");
        foreach (var claim in token.Claims.EnumerateObject())
        {
            switch (claim.Name)
            {
                case "act" or "cnf" or "scope":
                    break; // structured: exposed below or through ExchangedToken
                default:
                    AddValues(user, claim.Name, claim.Value);
                    break;
            }
        }

        foreach (var scope in token.Scopes)
        {
            user.AddClaim(new Claim(SpiffeClaimTypes.Scope, scope));
        }

        foreach (var actor in token.Delegation)
        {
            user.AddClaim(new Claim(SpiffeClaimTypes.Actor, actor.ToString()));
        }

        return user;
    }

    private static void AddValues(ClaimsIdentity identity, string name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                identity.AddClaim(new Claim(name, value.GetString()!));
                break;
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                identity.AddClaim(new Claim(name, value.GetRawText()));
                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        identity.AddClaim(new Claim(name, item.GetString()!));
                    }
                }

                break;
        }
    }
}
