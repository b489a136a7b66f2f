using AgentFabric.Server.Registration;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Server.Hosting;

public sealed partial class ServerHost
{
    private static readonly TimeSpan s_rotationInterval = TimeSpan.FromSeconds(10);

    private void StartLoops(ILogger logger)
    {
        _loops.Add(Task.Run(() => RotationLoopAsync(logger)));

        // Always: relationships created at runtime (federation create) are refreshed like the config's.
        _loops.Add(Task.Run(() => Runtime.Refresher.RunAsync(_stopping.Token)));

        if (Runtime.Settings.PruneAttestedNodesExpiredFor is { } expiredFor)
        {
            var pruner = new ExpiredAgentPruner(Runtime.Registration, expiredFor, Runtime.Settings.PruneAttestedNodesBatchSize, Runtime.Time, logger);
            _loops.Add(Task.Run(() => pruner.RunAsync(_stopping.Token)));
        }
    }

    private async Task RotationLoopAsync(ILogger logger)
    {
        using var timer = new PeriodicTimer(s_rotationInterval, Runtime.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    foreach (var step in await Runtime.RotateOnceAsync(_stopping.Token).ConfigureAwait(false))
                    {
                        LogRotation(logger, step, Runtime.Ca.Active.Certificate.Thumbprint);
                    }

                    var (entries, tokens) = await Runtime.Registration.PruneAsync(_stopping.Token).ConfigureAwait(false);
                    if (entries + tokens > 0)
                    {
                        LogPruned(logger, entries, tokens);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRotationFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "CA rotation: {Step} (active CA {Thumbprint})")]
    private static partial void LogRotation(ILogger logger, string step, string thumbprint);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Pruned {Entries} expired entries and {Tokens} expired join tokens")]
    private static partial void LogPruned(ILogger logger, int entries, int tokens);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "CA rotation failed: {Reason}")]
    private static partial void LogRotationFailed(ILogger logger, string reason);
}
