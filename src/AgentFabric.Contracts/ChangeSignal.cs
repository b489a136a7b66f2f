namespace AgentFabric.Contracts;

/// <summary>
/// Wakes every waiter at once when something changed (on the server an entry, a node's state, a bundle; on the agent
/// its entries or an SVID). Waiters take the current <see cref="Next"/> before reading state, so a change between
/// reading and waiting is never missed.
/// </summary>
public sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify()
    {
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _next, fresh).TrySetResult();
    }
}
