using Microsoft.Extensions.Logging;

namespace AgentFabric.PolicyServer.Envoy;

/// <summary>The Check service's log messages (event ids 5100-5199).</summary>
internal static partial class EnvoyExtAuthzLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Debug, Message = "ext_authz Check {DecisionId}: {Path} allowed={Allowed}")]
    public static partial void Decided(ILogger logger, string decisionId, string path, bool allowed);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "ext_authz Check refused: the request could not become policy input: {Reason}")]
    public static partial void BadRequest(ILogger logger, string reason);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "ext_authz Check refused: {Path} is undefined for the request")]
    public static partial void Undefined(ILogger logger, string path);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "ext_authz Check refused: no decision: {Reason}")]
    public static partial void DecisionFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "ext_authz Check refused: decision {DecisionId} has a result Envoy cannot take: {Reason}")]
    public static partial void BadResult(ILogger logger, string decisionId, string reason);
}
