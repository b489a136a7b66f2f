using Microsoft.Extensions.Logging;

namespace AgentFabric.PolicyServer.Hosting;

internal static partial class PolicyServerLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "policy server listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "bundle {Bundle} was not activated at start: {Reason}")]
    public static partial void BundleNotActivated(ILogger logger, string bundle, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "request rejected: {Reason}")]
    public static partial void Rejected(ILogger logger, string reason);
}
