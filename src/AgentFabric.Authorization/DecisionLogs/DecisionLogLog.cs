using Microsoft.Extensions.Logging;

namespace AgentFabric.Authorization.DecisionLogs;

internal static partial class DecisionLogLog
{
    [LoggerMessage(EventId = 1421, Level = LogLevel.Warning, Message = "Decision log sink {Sink} lost a batch of {Count} events")]
    public static partial void SinkFailed(ILogger logger, string sink, int count, Exception exception);

    [LoggerMessage(EventId = 1422, Level = LogLevel.Warning, Message = "Decision log buffer full: {Dropped} events dropped so far")]
    public static partial void Dropped(ILogger logger, long dropped);
}
