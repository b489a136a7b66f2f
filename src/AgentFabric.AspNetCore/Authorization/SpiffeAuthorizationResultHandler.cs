using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace AgentFabric.AspNetCore;

/// <summary>
/// Writes a forbidden request as an RFC 9457 problem-details 403: for a policy denial the decision id (to find the
/// decision in the log) and nothing of the policy's internals; for an allow-list denial a fixed text. Challenges and
/// successes go to ASP.NET Core's default handler.
/// </summary>
internal sealed class SpiffeAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    /// <summary>RFC 9110 §15.5.4.</summary>
    public const string ForbiddenType = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4";

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden || !SpiffePrincipal.TryGetCaller(context.User, out _))
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        var reasons = authorizeResult.AuthorizationFailure?.FailureReasons ?? [];
        var rego = reasons.OfType<RegoDenialReason>().FirstOrDefault();
        var problem = new ProblemDetails
        {
            Type = ForbiddenType,
            Title = "Forbidden",
            Status = StatusCodes.Status403Forbidden,
            Detail = rego switch
            {
                { DecisionId: not null } => "The policy denied this request.",
                not null => "The policy could not decide; the request is denied.",
                _ => "The caller may not make this request.",
            },
        };
        if (rego?.DecisionId is { } decisionId)
        {
            problem.Extensions["decision_id"] = decisionId;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", context.RequestAborted);
    }
}
