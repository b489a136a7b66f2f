using System.Collections.Concurrent;
using System.Diagnostics;
using AgentFabric.Authorization;
using AgentFabric.Authorization.Input;
using AgentFabric.Spiffe;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentFabric.AspNetCore;

/// <summary>Decides <see cref="RegoRequirement"/>s: builds the standard input with
/// <see cref="AuthorizationInputBuilder"/> and asks the <see cref="IPolicyDecisionPoint"/>. Fails closed.</summary>
internal sealed class RegoRequirementHandler(IServiceProvider services, SpiffeSources sources, TimeProvider timeProvider, ILogger<RegoRequirementHandler> logger)
    : AuthorizationHandler<RegoRequirement>
{
    private const int MaxCachedActions = 1024;

    // Registered as a singleton (AddPolicyDecisionPoint): resolved on the first decision, not on every one.
    private IPolicyDecisionPoint? _pdp;

    // The default resource (this workload as an agent), kept while this workload's SPIFFE ID stays the same.
    private DefaultResource? _defaultResource;

    // "METHOD /route/pattern" per method and route pattern (both finite for an app), built once each.
    private readonly ConcurrentDictionary<(string Method, string Route), string> _actions = new();

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, RegoRequirement requirement)
    {
        var http = context.Resource as HttpContext;
        var caller = http?.Features.Get<ISpiffeCallerFeature>();
        if (http is null || caller is null)
        {
            context.Fail(new RegoDenialReason(this, null, "the request has no SPIFFE caller"));
            return;
        }

        var pdp = _pdp ??= services.GetService<IPolicyDecisionPoint>();
        if (pdp is null)
        {
            SpiffeLog.PolicyFailed(logger, requirement.Path.ToString(), caller.Caller.ToString(), "no IPolicyDecisionPoint is registered (services.AddPolicyDecisionPoint)");
            context.Fail(new RegoDenialReason(this, null, "no policy decision point"));
            return;
        }

        PolicyDecision decision;
        try
        {
            var input = BuildInput(http, caller, requirement);
            decision = await pdp.DecideAsync(requirement.Path, input.Document, http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PolicyDecisionException or AuthorizationInputException or InvalidOperationException)
        {
            // Fail closed: an error is never an allow.
            SpiffeLog.PolicyFailed(logger, requirement.Path.ToString(), caller.Caller.ToString(), e.Message);
            SpiffeActivityTags.SetDecision(Activity.Current, allowed: false, decisionId: null);
            context.Fail(new RegoDenialReason(this, null, "the policy could not decide"));
            return;
        }

        SpiffeActivityTags.SetDecision(Activity.Current, decision.IsAllowed, decision.DecisionId);
        if (decision.IsAllowed)
        {
            context.Succeed(requirement);
            return;
        }

        SpiffeLog.PolicyDenied(logger, requirement.Path.ToString(), caller.Caller.ToString(), decision.DecisionId);
        context.Fail(new RegoDenialReason(this, decision.DecisionId, "the policy denied the request"));
    }

    private AuthorizationInput BuildInput(HttpContext http, ISpiffeCallerFeature caller, RegoRequirement requirement)
    {
        var self = sources.CurrentId;
        SpiffeActivityTags.SetCallee(Activity.Current, self);
        var builder = new AuthorizationInputBuilder(timeProvider).WithCaller(caller.Caller);
        if (caller.Token is { } token)
        {
            builder.WithUser(token.InputUser);
        }

        var request = http.Request;
        var action = requirement.Action ?? DefaultAction(request.Method, (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText, request.Path);
        var resource = requirement.Resource?.Invoke(http) ?? AgentResource(self);
        // Only the requirement's headers reach the input: without any, the request's headers are not even enumerated.
        IEnumerable<KeyValuePair<string, string>> headers = requirement.InputHeaders.Length == 0
            ? []
            : request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? "")));
        var pathText = request.Path.HasValue && request.Path.Value!.Length > 0 ? request.PathBase + request.Path : new PathString("/");
        return builder
            .WithAction(action)
            .WithResource(resource)
            .WithRequest(request.Method, pathText.Value!, headers, requirement.InputHeaders)
            .Build();
    }

    private string DefaultAction(string method, string? route, PathString path)
    {
        if (route is null)
        {
            return $"{method} {path.Value}";
        }

        if (_actions.TryGetValue((method, route), out var action))
        {
            return action;
        }

        action = $"{method} /{route.TrimStart('/')}";
        if (_actions.Count < MaxCachedActions)
        {
            _actions.TryAdd((method, route), action);
        }

        return action;
    }

    private AuthorizationResource AgentResource(SpiffeId self)
    {
        var cached = _defaultResource;
        if (cached is null || cached.Self != self)
        {
            cached = new DefaultResource(self, new AuthorizationResource("agent", self.ToString()));
            _defaultResource = cached;
        }

        return cached.Resource;
    }

    private sealed record DefaultResource(SpiffeId Self, AuthorizationResource Resource);
}
