using Microsoft.Extensions.Logging;

namespace AgentFabric.AspNetCore;

/// <summary>The SDK's log messages (event ids 1600-1699). Never a token or a key.</summary>
internal static partial class SpiffeLog
{
    [LoggerMessage(1601, LogLevel.Error, "No X.509-SVID to present; refusing the TLS connection: {Reason}")]
    public static partial void NoServerSvid(ILogger logger, string reason);

    [LoggerMessage(1602, LogLevel.Warning, "TLS peer {RemoteEndPoint} rejected: {Reason}")]
    public static partial void PeerRejected(ILogger logger, string remoteEndPoint, string reason);

    [LoggerMessage(1603, LogLevel.Information, "SPIFFE authentication failed: {Reason}")]
    public static partial void AuthenticationFailed(ILogger logger, string reason);

    [LoggerMessage(1604, LogLevel.Information, "Policy {Path} denied {Caller} (decision {DecisionId})")]
    public static partial void PolicyDenied(ILogger logger, string path, string caller, string decisionId);

    [LoggerMessage(1605, LogLevel.Error, "Policy {Path} could not decide for {Caller}; denying: {Reason}")]
    public static partial void PolicyFailed(ILogger logger, string path, string caller, string reason);

    [LoggerMessage(1606, LogLevel.Warning, "Token exchange for {Target} refused by the edge: {Error} {Description}")]
    public static partial void ExchangeRefused(ILogger logger, string target, string error, string description);

    [LoggerMessage(1607, LogLevel.Debug, "Token exchanged for {Target}, valid until {Expiry:u}")]
    public static partial void Exchanged(ILogger logger, string target, DateTimeOffset expiry);
}
