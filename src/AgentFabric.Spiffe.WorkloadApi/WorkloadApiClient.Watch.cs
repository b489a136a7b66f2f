using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.WorkloadApi.Proto;
using Grpc.Core;

namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>Watches: long-lived streams that deliver every update (Workload API §4.2, §4.3).</summary>
public sealed partial class WorkloadApiClient
{
    /// <summary>
    /// Streams X.509 contexts to <paramref name="onUpdate"/> until cancelled. Errors go to <paramref name="onError"/>:
    /// an invalid message is discarded (Workload API §4.5) and the stream goes on; Unavailable, PermissionDenied and a closed
    /// stream reconnect after a backoff; InvalidArgument and Unimplemented end the watch with that error.
    /// </summary>
    /// <exception cref="WorkloadApiException">The endpoint answered InvalidArgument or Unimplemented.</exception>
    /// <exception cref="OperationCanceledException">The watch was cancelled.</exception>
    public Task WatchX509ContextAsync(
        Action<X509Context> onUpdate,
        Action<WorkloadApiException> onError,
        CancellationToken cancellationToken) =>
        WatchAsync(
            "FetchX509SVID",
            o => _client.FetchX509SVID(new X509SVIDRequest(), o),
            r => WorkloadApiMessages.ToX509Context(r, _parsed),
            onUpdate,
            onError,
            cancellationToken);

    /// <summary>Streams X.509 bundle sets like <see cref="WatchX509ContextAsync"/>.</summary>
    public Task WatchX509BundlesAsync(
        Action<X509BundleSet> onUpdate,
        Action<WorkloadApiException> onError,
        CancellationToken cancellationToken) =>
        WatchAsync(
            "FetchX509Bundles",
            o => _client.FetchX509Bundles(new X509BundlesRequest(), o),
            r => WorkloadApiMessages.ToX509Bundles(r, _parsed),
            onUpdate,
            onError,
            cancellationToken);

    /// <summary>Streams JWT bundle sets like <see cref="WatchX509ContextAsync"/>.</summary>
    public Task WatchJwtBundlesAsync(
        Action<JwtBundleSet> onUpdate,
        Action<WorkloadApiException> onError,
        CancellationToken cancellationToken) =>
        WatchAsync(
            "FetchJWTBundles",
            o => _client.FetchJWTBundles(new JWTBundlesRequest(), o),
            WorkloadApiMessages.ToJwtBundles,
            onUpdate,
            onError,
            cancellationToken);

    private async Task WatchAsync<TResponse, T>(
        string method,
        Func<CallOptions, AsyncServerStreamingCall<TResponse>> start,
        Func<TResponse, T> convert,
        Action<T> onUpdate,
        Action<WorkloadApiException> onError,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onUpdate);
        ArgumentNullException.ThrowIfNull(onError);
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var call = start(new CallOptions(cancellationToken: cancellationToken));
                while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    T value;
                    try
                    {
                        value = convert(call.ResponseStream.Current);
                    }
                    catch (WorkloadApiException ex)
                    {
                        // Workload API §4.5: report and discard; the last good update stays in force.
                        onError(ex);
                        continue;
                    }

                    backoff.Reset();
                    onUpdate(value);
                }

                // Workload API §4.2: the endpoint may close the stream at any time; the client reconnects.
                onError(new WorkloadApiException($"workloadapi: {method} stream closed by the endpoint"));
            }
            catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("workloadapi: watch cancelled", ex, cancellationToken);
            }
            catch (RpcException ex)
            {
                var error = Failure(method, ex);
                onError(error);

                // Workload Endpoint §6: InvalidArgument is a client bug and Unimplemented will not change; no retry.
                if (ex.StatusCode is StatusCode.InvalidArgument or StatusCode.Unimplemented)
                {
                    throw error;
                }
            }

            await Task.Delay(backoff.Next(), _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
