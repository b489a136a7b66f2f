using Microsoft.Extensions.Logging;

namespace AgentFabric.Server.Registration;

/// <summary>
/// SPIRE's <c>prune_attested_nodes_expired_for</c>: every <see cref="Interval"/> (as SPIRE, about an hour) deletes up
/// to a batch of agents whose node SVID expired longer ago than the configured time. Banned agents are kept (their
/// record is the ban). A failed cycle is logged and the next one tries again.
/// </summary>
public sealed partial class ExpiredAgentPruner
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    private readonly RegistrationService _registration;
    private readonly TimeSpan _expiredFor;
    private readonly int _batchSize;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ExpiredAgentPruner(RegistrationService registration, TimeSpan expiredFor, int batchSize, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expiredFor, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _registration = registration;
        _expiredFor = expiredFor;
        _batchSize = batchSize;
        _time = time;
        _logger = logger;
    }

    /// <summary>Prunes once per <see cref="Interval"/> until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await PruneOnceAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One cycle; returns the SPIFFE IDs pruned (none when the datastore failed, which is logged).</summary>
    public async Task<IReadOnlyList<string>> PruneOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var pruned = await _registration.PruneExpiredAgentsAsync(_expiredFor, _batchSize, cancellationToken).ConfigureAwait(false);
            foreach (var id in pruned)
            {
                LogPrunedAgent(_logger, id, _expiredFor);
            }

            return pruned;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPruneFailed(_logger, e.Message);
            return [];
        }
    }

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Pruned attested agent {SpiffeId}: its node SVID expired more than {ExpiredFor} ago")]
    private static partial void LogPrunedAgent(ILogger logger, string spiffeId, TimeSpan expiredFor);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "Pruning expired attested agents failed: {Reason}")]
    private static partial void LogPruneFailed(ILogger logger, string reason);
}
