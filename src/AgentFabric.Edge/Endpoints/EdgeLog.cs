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
}
