using System.Diagnostics;
using System.Net.Http.Headers;
using AgentFabric.Spiffe;
using Microsoft.AspNetCore.Http;

namespace AgentFabric.AspNetCore;

/// <summary>
/// The delegating handler of a SPIFFE HttpClient: puts on each outgoing request a token for the target, exchanged at
/// the edge from the user token of the current request (or <see cref="SpiffeRequestOptions.SubjectToken"/>), and tags
/// the call's activity with caller and callee. A request that already has an Authorization header is left alone.
/// </summary>
internal sealed class TokenExchangeHandler(
    IHttpContextAccessor accessor,
    TokenExchanger exchanger,
    SpiffeSources sources,
    SpiffeId target,
    SpiffeHttpClientOptions options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var activity = SpiffeActivityTags.Source.StartActivity("agentfabric.spiffe_call", ActivityKind.Internal);
        SpiffeActivityTags.SetCallee(activity, target);
        if (activity is not null)
        {
            try
            {
                SpiffeActivityTags.SetCaller(activity, sources.CurrentId);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // No SVID now: the handshake fails below with the reason; the tag is left out.
            }
        }

        if (options.ExchangeUserToken && request.Headers.Authorization is null)
        {
            var subject = request.Options.TryGetValue(SpiffeRequestOptions.SubjectToken, out var explicitToken)
                ? explicitToken
                : accessor.HttpContext?.Features.Get<ISpiffeCallerFeature>()?.Token?.Token;
            if (subject is not null)
            {
                var token = await exchanger.GetTokenAsync(subject, target, options.Scope, options.RefreshBeforeExpiry, cancellationToken).ConfigureAwait(false);
                // RFC 6750 §2.1.
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
            }
            else if (options.RequireUserToken)
            {
                throw new TokenExchangeException($"agentfabric: no user token to exchange for the call to {target}");
            }
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
