using Microsoft.Extensions.Logging;

namespace AgentFabric.Authorization.Bundles;

internal static partial class BundleLog
{
    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Bundle {Bundle} revision '{Revision}' activated")]
    public static partial void Activated(ILogger logger, string bundle, string revision);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Error, Message = "Bundle {Bundle} refused ({Reason}); the last good bundle keeps serving: {Detail}")]
    public static partial void Refused(ILogger logger, string bundle, BundleErrorReason reason, string detail);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Debug, Message = "Bundle {Bundle} not modified (ETag {ETag})")]
    public static partial void NotModified(ILogger logger, string bundle, string etag);
}
