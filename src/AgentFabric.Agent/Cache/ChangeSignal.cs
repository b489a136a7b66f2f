namespace AgentFabric.Agent.Cache;

/// <summary>A broadcast edge: waiters take <see cref="Next"/> before reading state, and every
/// <see cref="Fire"/> completes it, so no change between the read and the wait is missed.</summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = New();

    public Task Next => Volatile.Read(ref _next).Task;

    public void Fire() => Interlocked.Exchange(ref _next, New()).TrySetResult();

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
