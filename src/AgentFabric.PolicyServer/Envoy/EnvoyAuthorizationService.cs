using AgentFabric.Authorization;
using AgentFabric.Rego.Values;
using Envoy.Service.Auth.V3;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace AgentFabric.PolicyServer.Envoy;

/// <summary><c>envoy.service.auth.v3.Authorization/Check</c>: turns the CheckRequest into OPA-Envoy's input, asks the
/// decision point for the configured rule, and maps the result to a CheckResponse. Anything that yields no usable
/// decision (bad request, undefined rule, evaluation error, result of the wrong shape) is a gRPC error, as in
/// OPA-Envoy, which Envoy turns into a denial (status_on_error, 403 by default) unless failure_mode_allow is set.</summary>
internal sealed class EnvoyAuthorizationService : global::Envoy.Service.Auth.V3.Authorization.AuthorizationBase
{
    private readonly EnvoyExtAuthzDecisionPoint _pdp;
    private readonly EnvoyExtAuthzOptions _options;
    private readonly ILogger<EnvoyAuthorizationService> _logger;

    public EnvoyAuthorizationService(EnvoyExtAuthzDecisionPoint pdp, EnvoyExtAuthzOptions options, ILogger<EnvoyAuthorizationService> logger)
    {
        _pdp = pdp;
        _options = options;
        _logger = logger;
    }

    /// <inheritdoc />
    public override async Task<CheckResponse> Check(CheckRequest request, ServerCallContext context)
    {
        ObjectValue input;
        try
        {
            input = EnvoyCheckInput.Build(request, _options);
        }
        catch (EnvoyExtAuthzException e)
        {
            EnvoyExtAuthzLog.BadRequest(_logger, e.Message);
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }

        var path = _options.DecisionPath;
        PolicyDecision decision;
        try
        {
            decision = await _pdp.Inner.DecideAsync(path, input, context.CancellationToken).ConfigureAwait(false);
        }
        catch (PolicyDecisionPointUnavailableException e)
        {
            EnvoyExtAuthzLog.DecisionFailed(_logger, e.Message);
            throw new RpcException(new Status(StatusCode.Unavailable, e.Message));
        }
        catch (PolicyDecisionException e)
        {
            EnvoyExtAuthzLog.DecisionFailed(_logger, e.Message);
            throw new RpcException(new Status(StatusCode.Unknown, e.Message));
        }

        if (decision.Result is null)
        {
            EnvoyExtAuthzLog.Undefined(_logger, path.ToString());
            throw new RpcException(new Status(StatusCode.Unknown, $"envoy ext_authz: undefined decision: {path.RegoReference} has no value"));
        }

        CheckResponse response;
        try
        {
            response = EnvoyCheckResponse.FromResult(decision.Result);
        }
        catch (EnvoyExtAuthzException e)
        {
            EnvoyExtAuthzLog.BadResult(_logger, decision.DecisionId, e.Message);
            throw new RpcException(new Status(StatusCode.Unknown, e.Message));
        }

        EnvoyExtAuthzLog.Decided(_logger, decision.DecisionId, path.ToString(), response.Status.Code == (int)StatusCode.OK);
        return response;
    }
}
