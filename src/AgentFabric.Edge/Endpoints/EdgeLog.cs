using Microsoft.Extensions.Logging;

namespace AgentFabric.Edge.Endpoints;

/// <summary>The edge's log messages (never a token, a key or a password).</summary>
internal static partial class EdgeLog
{
    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "edge: user {UserId} signed in")]
    public static partial void SignedIn(ILogger logger, string userId);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "edge: a sign-in failed")]
    public static partial void SignInFailed(ILogger logger);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "edge: a sign-in was refused: the account is locked")]
    public static partial void SignInLockedOut(ILogger logger);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Information, Message = "edge: token exchange issued a token (decision {DecisionId})")]
    public static partial void ExchangeIssued(ILogger logger, string decisionId);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Warning, Message = "edge: token exchange refused: {Error}: {Description}")]
    public static partial void ExchangeRefused(ILogger logger, string error, string description);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Information, Message = "edge: user {UserId} signed in through upstream {Upstream}")]
    public static partial void SignedInUpstream(ILogger logger, string userId, string upstream);

    [LoggerMessage(EventId = 1507, Level = LogLevel.Warning, Message = "edge: upstream {Upstream} cannot be reached to start a sign-in")]
    public static partial void UpstreamUnreachable(ILogger logger, string upstream, Exception exception);

    [LoggerMessage(EventId = 1508, Level = LogLevel.Warning, Message = "edge: a sign-in through an upstream failed: {Error}: {Description}")]
    public static partial void UpstreamSignInFailed(ILogger logger, string error, string description);

    [LoggerMessage(EventId = 1509, Level = LogLevel.Warning, Message = "edge: a sign-in through upstream {Upstream} was refused: {Reason}")]
    public static partial void UpstreamSignInRefused(ILogger logger, string upstream, string reason);
}
