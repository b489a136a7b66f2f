using AgentFabric.Edge.Exchange;
using AgentFabric.Edge.Hosting;
using AgentFabric.Edge.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Edge.Endpoints;

/// <summary>
/// Token-exchange requests at the token endpoint, taken before OpenIddict sees them: OpenIddict 7.9 authenticates
/// clients by registered client id and secret or <c>jwt-bearer</c> assertions, while agents here authenticate with a
/// JWT-SVID (<c>jwt-spiffe</c>) and are registered by SPIFFE ID pattern, and their subject tokens and act chains are
/// ours to check. Every other grant goes on to OpenIddict.
/// </summary>
internal static class TokenExchangeEndpoint
{
    public static void Use(WebApplication app)
    {
        var path = "/" + EdgeEndpoints.Token;
        app.Use(async (http, next) =>
        {
            if (!HttpMethods.IsPost(http.Request.Method) || http.Request.Path != path || !http.Request.HasFormContentType)
            {
                await next(http).ConfigureAwait(false);
                return;
            }

            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            if (form["grant_type"] != TokenTypes.GrantType)
            {
                await next(http).ConfigureAwait(false);
                return;
            }

            await HandleAsync(http, form).ConfigureAwait(false);
        });
    }

    private static async Task HandleAsync(HttpContext http, IFormCollection form)
    {
        var service = http.RequestServices.GetRequiredService<TokenExchangeService>();
        var log = http.RequestServices.GetRequiredService<ILogger<TokenExchangeService>>();
        // RFC 6749 §5.1: token responses are never cached.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        foreach (var name in new[] { "subject_token", "actor_token", "client_assertion", "grant_type", "scope", "client_id" })
        {
            if (form[name].Count > 1)
            {
                // RFC 6749 §3.2: request parameters must not be included more than once.
                await WriteErrorAsync(http, TokenExchangeException.InvalidRequest($"{name} is repeated.")).ConfigureAwait(false);
                return;
            }
        }

        var request = new TokenExchangeRequest(
            Single(form, "client_id"), Single(form, "client_assertion_type"), Single(form, "client_assertion"),
            Single(form, "subject_token"), Single(form, "subject_token_type"),
            Single(form, "actor_token"), Single(form, "actor_token_type"), Single(form, "requested_token_type"),
            [.. form["audience"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!)],
            [.. form["resource"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!)],
            Single(form, "scope"),
            MtlsListener.PresentedChain(http));
        try
        {
            var response = await service.ExchangeAsync(request, http.RequestAborted).ConfigureAwait(false);
            EdgeLog.ExchangeIssued(log, response.DecisionId);
            var body = new Dictionary<string, object>
            {
                ["access_token"] = response.AccessToken,
                ["issued_token_type"] = response.IssuedTokenType,
                ["token_type"] = response.TokenType,
                ["expires_in"] = response.ExpiresIn,
            };
            if (response.Scope is not null)
            {
                body["scope"] = response.Scope;
            }

            await http.Response.WriteAsJsonAsync(body, http.RequestAborted).ConfigureAwait(false);
        }
        catch (TokenExchangeException e)
        {
            EdgeLog.ExchangeRefused(log, e.Error, e.Message);
            await WriteErrorAsync(http, e).ConfigureAwait(false);
        }
    }

    /// <summary>The scheme of the request's Authorization header (RFC 9110 §11.6.2), if it has one.</summary>
    private static string? AuthorizationScheme(HttpContext http)
    {
        var value = http.Request.Headers.Authorization.ToString().Trim();
        if (value.Length == 0)
        {
            return null;
        }

        var end = value.IndexOf(' ', StringComparison.Ordinal);
        var scheme = end < 0 ? value : value[..end];
        // RFC 9110 §11.1: auth-scheme is a token; anything else is not echoed back into a header.
        return scheme.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)) ? scheme : null;
    }

    private static string? Single(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private static Task WriteErrorAsync(HttpContext http, TokenExchangeException e)
    {
        http.Response.StatusCode = e.Status;
        if (e.Status == StatusCodes.Status401Unauthorized && AuthorizationScheme(http) is { } scheme)
        {
            // RFC 6749 §5.2: a client that tried the Authorization header gets a WWW-Authenticate challenge in the scheme
            // it used. Agents authenticate in the body (client_assertion) or by certificate, for which no HTTP scheme
            // exists, so they get none: a challenge there (Bearer is a resource's scheme, RFC 6750) makes clients such
            // as openid-client report it instead of the error in the body.
            http.Response.Headers.WWWAuthenticate = $"{scheme} realm=\"{http.Request.Host.Value}\"";
        }

        return http.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["error"] = e.Error, ["error_description"] = e.Message }, http.RequestAborted);
    }
}
