using AgentFabric.Spiffe.WorkloadApi.Proto;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>
/// A client of the SPIFFE Workload API (SPIFFE_Workload_API.md) over gRPC on a Unix domain socket or TCP. One-shot
/// fetches throw <see cref="WorkloadApiException"/>; watches keep the stream open, reconnect with backoff after
/// Unavailable or PermissionDenied, and stop on InvalidArgument or Unimplemented (Workload Endpoint Appendix A).
/// Thread-safe; one client (one HTTP/2 connection) serves any number of concurrent calls.
/// </summary>
public sealed partial class WorkloadApiClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly SpiffeWorkloadAPI.SpiffeWorkloadAPIClient _client;
    private readonly WorkloadApiClientOptions _options;

    // Responses repeat byte for byte until something rotates: parse each distinct SVID and bundle once.
    private readonly ParsedCache? _parsed;

    /// <summary>A client of the endpoint in <paramref name="options"/>, or of <c>SPIFFE_ENDPOINT_SOCKET</c>.</summary>
    /// <exception cref="WorkloadApiException">No address is configured, or the address is invalid.</exception>
    public WorkloadApiClient(WorkloadApiClientOptions? options = null)
    {
        _options = options ?? new WorkloadApiClientOptions();
        // Workload Endpoint §4: fall back to the environment variable only when not configured.
        Address = _options.Address is null
            ? WorkloadEndpointAddress.FromEnvironment()
            : WorkloadEndpointAddress.Parse(_options.Address);
        _parsed = _options.ReuseParsedResponses ? new ParsedCache() : null;
        _channel = CreateChannel(Address);
        _client = new SpiffeWorkloadAPI.SpiffeWorkloadAPIClient(_channel.Intercept(new SecurityHeaderInterceptor()));
    }

    /// <summary>The endpoint this client talks to.</summary>
    public WorkloadEndpointAddress Address { get; }

    internal WorkloadApiClientOptions Options => _options;

    /// <summary>The first X.509 context the endpoint streams (Workload API §5.2.1).</summary>
    /// <exception cref="WorkloadApiException">The call failed or the response breaks Workload API §4.5/§5.2.1.</exception>
    public async Task<X509Context> FetchX509ContextAsync(CancellationToken cancellationToken = default)
    {
        var response = await FirstAsync(
            "FetchX509SVID",
            o => _client.FetchX509SVID(new X509SVIDRequest(), o),
            cancellationToken).ConfigureAwait(false);
        return WorkloadApiMessages.ToX509Context(response, _parsed);
    }

    /// <summary>The first set of X.509 bundles the endpoint streams (Workload API §5.2.2).</summary>
    /// <exception cref="WorkloadApiException">The call failed or the response is invalid.</exception>
    public async Task<Bundles.X509.X509BundleSet> FetchX509BundlesAsync(CancellationToken cancellationToken = default)
    {
        var response = await FirstAsync(
            "FetchX509Bundles",
            o => _client.FetchX509Bundles(new X509BundlesRequest(), o),
            cancellationToken).ConfigureAwait(false);
        return WorkloadApiMessages.ToX509Bundles(response, _parsed);
    }

    /// <summary>The first set of JWT bundles the endpoint streams (Workload API §6.2.2).</summary>
    /// <exception cref="WorkloadApiException">The call failed or the response is invalid.</exception>
    public async Task<Bundles.Jwt.JwtBundleSet> FetchJwtBundlesAsync(CancellationToken cancellationToken = default)
    {
        var response = await FirstAsync(
            "FetchJWTBundles",
            o => _client.FetchJWTBundles(new JWTBundlesRequest(), o),
            cancellationToken).ConfigureAwait(false);
        return WorkloadApiMessages.ToJwtBundles(response);
    }

    /// <inheritdoc/>
    public void Dispose() => _channel.Dispose();

    internal static WorkloadApiException Failure(string method, RpcException ex) =>
        new($"workloadapi: {method} failed: {ex.StatusCode}: {ex.Status.Detail}", ex);

    private static async Task<T> FirstAsync<T>(
        string method,
        Func<CallOptions, AsyncServerStreamingCall<T>> start,
        CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            using var call = start(new CallOptions(cancellationToken: cts.Token));
            if (!await call.ResponseStream.MoveNext(cts.Token).ConfigureAwait(false))
            {
                throw new WorkloadApiException($"workloadapi: {method} stream ended without a response");
            }

            var first = call.ResponseStream.Current;
            await cts.CancelAsync().ConfigureAwait(false);
            return first;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (RpcException ex)
        {
            throw Failure(method, ex);
        }
    }

    private static GrpcChannel CreateChannel(WorkloadEndpointAddress address)
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (address.IsUnix)
        {
            handler.ConnectCallback = UnixSocketConnector.ConnectCallback(address.SocketPath);
        }

        // Workload Endpoint §3.1: no TLS; the endpoint is local and the workload may not know any root yet.
        string target = address.IsUnix ? "http://localhost" : $"http://{address.TcpEndPoint}";
        return GrpcChannel.ForAddress(target, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = null,
        });
    }
}
