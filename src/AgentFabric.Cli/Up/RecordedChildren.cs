using System.Globalization;

namespace AgentFabric.Cli.Up;

/// <summary>Stopping what a state file says is running, for <c>down</c> and for an <c>up</c> that finds the state
/// of one that was killed: a recorded process is signalled only while its pid still has its recorded start time.</summary>
internal static class RecordedChildren
{
    /// <summary>SIGTERM to every recorded child still running (in reverse start order), SIGKILL to those still
    /// running after <paramref name="grace"/>; returns <c>name (pid N)</c> for each one stopped.</summary>
    public static async Task<IReadOnlyList<string>> StopAsync(FabricState state, TimeSpan grace, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(state);
        var alive = state.Children.Reverse().Where(c => c.Process is not null && c.Process.Identity.IsAlive).ToArray();
        foreach (var child in alive)
        {
            child.Process!.Identity.Signal(ProcessIdentity.SigTerm);
        }

        await WaitGoneAsync(alive.Select(c => c.Process!.Identity), grace, time).ConfigureAwait(false);
        foreach (var child in alive)
        {
            child.Process!.Identity.Signal(ProcessIdentity.SigKill);
        }

        return alive.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} (pid {c.Process!.Pid})")).ToArray();
    }

    /// <summary>Waits until none of <paramref name="processes"/> runs, or <paramref name="timeout"/> passed; true when
    /// all are gone.</summary>
    public static async Task<bool> WaitGoneAsync(IEnumerable<ProcessIdentity> processes, TimeSpan timeout, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var list = processes.ToArray();
        var began = time.GetTimestamp();
        while (list.Any(p => p.IsAlive))
        {
            if (time.GetElapsedTime(began) > timeout)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time).ConfigureAwait(false);
        }

        return true;
    }
}
