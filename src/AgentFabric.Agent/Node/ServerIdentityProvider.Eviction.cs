using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Agent.Node;

public sealed partial class ServerIdentityProvider
{
    // The join token that attestation after an eviction already spent or had refused: not offered again.
    private string? _spentToken;

    /// <summary>True while the server refuses this node's SVID (node evicted or banned) and no join token replaced it.</summary>
    public bool Evicted { get; private set; }

    /// <summary>
    /// The server refused the node SVID on the entry stream (PermissionDenied: the node was evicted or banned). A
    /// stored SVID is kept across restarts, so without this an evicted agent retried it forever, even when restarted
    /// with a fresh join token. Now: say so (log and readiness), and attest with the configured join token if it was
    /// not already tried; the new identity replaces the stored one.
    /// </summary>
    private async Task OnNodeRefusedAsync(RpcException refusal, CancellationToken ct)
    {
        var node = NodeId;
        var first = !Evicted;
        Evicted = true;
        var token = _options.JoinToken;
        if (string.IsNullOrEmpty(token) || token == _spentToken)
        {
            LastError = $"node {node} was evicted or banned by the server ({refusal.Status.Detail}); restart the agent with a fresh join token (agent run -joinToken)";
            if (first)
            {
                LogNodeRefused(_logger, node.ToString(), refusal.Status.Detail, "no unused join token: restart with a fresh one (agent run -joinToken)");
            }

            return;
        }

        LogNodeRefused(_logger, node.ToString(), refusal.Status.Detail, "attesting with the configured join token");
        try
        {
            var (fresh, own) = await AttestAsync(_options, Current.X509Bundles.GetX509BundleForTrustDomain(_options.TrustDomain), _time, ct).ConfigureAwait(false);
            _spentToken = token;
            lock (_gate)
            {
                // The old node's entries are not the new node's: the next stream starts from nothing.
                _entries.Clear();
            }

            Replace(fresh, own);
            Evicted = false;
            LastError = null;
            LogAttestedAfterEviction(_logger, node.ToString(), fresh.Id.ToString(), fresh.NotAfter);
        }
        catch (NodeAttestationException e)
        {
            // Refused: do not offer it again. Unreachable: the next stream attempt tries it again.
            if (e.InnerException is not RpcException r || !IsUnreachable(r))
            {
                _spentToken = token;
            }

            LastError = $"node {node} was evicted or banned by the server ({refusal.Status.Detail}); {e.Message}";
            LogTokenRefusedAfterEviction(_logger, node.ToString(), e.Message);
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "The server refused node {NodeId}: it was evicted or banned ({Detail}); {Action}")]
    private static partial void LogNodeRefused(ILogger logger, string nodeId, string detail, string action);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Node {OldNodeId} was evicted; attested with the join token as {NodeId} (node SVID expires {Expiry:u})")]
    private static partial void LogAttestedAfterEviction(ILogger logger, string oldNodeId, string nodeId, DateTimeOffset expiry);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "Node {NodeId} was evicted and the join token was refused: {Detail}")]
    private static partial void LogTokenRefusedAfterEviction(ILogger logger, string nodeId, string detail);
}
