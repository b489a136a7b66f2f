using Grpc.Core;

namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>
/// The part <see cref="X509Source"/> and <see cref="JwtSource"/> share: one watch stream whose latest value is held,
/// a start that waits for the first value, and a stop that ends the stream and releases the client when owned.
/// PermissionDenied withdraws the value (Workload API §5.2.1, §6.2.2); any other failure keeps the last good one, so an agent
/// restart does not take the workload's identity away.
/// </summary>
internal sealed class SourceWatch<T>
    where T : class
{
    private readonly WorkloadApiClient _client;
    private readonly bool _ownsClient;
    private readonly Func<WorkloadApiClient, Action<T>, Action<WorkloadApiException>, CancellationToken, Task> _watch;
    private readonly Action<T> _updated;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstUpdate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _current;
    private WorkloadApiException? _lastError;
    private Task _running = Task.CompletedTask;

    public SourceWatch(
        WorkloadApiClient client,
        bool ownsClient,
        Func<WorkloadApiClient, Action<T>, Action<WorkloadApiException>, CancellationToken, Task> watch,
        Action<T> updated)
    {
        _client = client;
        _ownsClient = ownsClient;
        _watch = watch;
        _updated = updated;
    }

    public WorkloadApiClient Client => _client;

    public T? Current => Volatile.Read(ref _current);

    public WorkloadApiException? LastError => Volatile.Read(ref _lastError);

    /// <summary>Starts the stream and waits for its first value; on failure the watch is stopped and the error
    /// rethrown.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _running = RunAsync();
        try
        {
            await _firstUpdate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WorkloadApiException)
        {
            // The watch ends by cancellation, or already ended with an error the caller saw through LastError.
        }

        Volatile.Write(ref _current, null);
        if (_ownsClient)
        {
            _client.Dispose();
        }

        _stop.Dispose();
    }

    /// <summary>"workloadapi: {what} in force", with the last error when there is one.</summary>
    public string NoValueMessage(string what) =>
        LastError is { } error ? $"workloadapi: {what} in force ({error.Message})" : $"workloadapi: {what} in force";

    private async Task RunAsync()
    {
        try
        {
            await _watch(_client, OnUpdate, OnError, _stop.Token).ConfigureAwait(false);
        }
        catch (WorkloadApiException ex)
        {
            _firstUpdate.TrySetException(ex);
            throw;
        }
        catch (OperationCanceledException)
        {
            _firstUpdate.TrySetCanceled();
            throw;
        }
    }

    private void OnUpdate(T value)
    {
        Volatile.Write(ref _current, value);
        _firstUpdate.TrySetResult();
        _updated(value);
    }

    private void OnError(WorkloadApiException error)
    {
        Volatile.Write(ref _lastError, error);
        if (error.StatusCode == StatusCode.PermissionDenied)
        {
            Volatile.Write(ref _current, null);
        }
    }
}
