using System.Collections.Concurrent;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.WorkloadApi.Proto;
using Google.Protobuf;
using Grpc.Core;

namespace AgentFabric.Spiffe.WorkloadApi.Tests.Infrastructure;

/// <summary>
/// A scriptable Workload API endpoint (the role go-spiffe's fake server plays in its client tests): it records every
/// call, answers streams with the current response, pushes each new response to every open stream, and can fail the
/// next calls or close every stream with a status.
/// </summary>
internal sealed class FakeWorkloadApi : SpiffeWorkloadAPI.SpiffeWorkloadAPIBase
{
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<RecordedCall> _calls = new();
    private readonly Queue<Status> _x509Failures = new();
    // Every published response, in order: a stream sends each one it has not sent yet, so no update is coalesced away.
    private readonly List<X509SVIDResponse> _x509 = [];
    private readonly List<JWTBundlesResponse> _jwtBundles = [];
    private readonly List<X509BundlesResponse> _x509Bundles = [];
    private TaskCompletionSource<Status?> _changed = NewSignal();

    public IReadOnlyList<RecordedCall> Calls => [.. _calls];

    public Func<JWTSVIDRequest, JWTSVIDResponse>? JwtSvidHandler { get; set; }

    public Func<ValidateJWTSVIDRequest, ValidateJWTSVIDResponse>? ValidateHandler { get; set; }

    /// <summary>When set, every call is answered with this status (e.g. InvalidArgument).</summary>
    public Status? FailEverything { get; set; }

    public IEnumerable<RecordedCall> CallsTo(string method) => Calls.Where(c => c.Method == method);

    /// <summary>Makes the next <paramref name="count"/> FetchX509SVID calls fail with <paramref name="status"/>.</summary>
    public void FailNextX509Calls(int count, Status status)
    {
        lock (_gate)
        {
            for (int i = 0; i < count; i++)
            {
                _x509Failures.Enqueue(status);
            }
        }
    }

    public void SetX509(X509SVIDResponse response) => Publish(() => _x509.Add(response));

    public void SetX509(X509Bundle ownBundle, IEnumerable<X509Svid> svids, params X509Bundle[] federated) =>
        SetX509(X509Response(ownBundle, svids, federated));

    public void SetJwtBundles(params JwtBundle[] bundles)
    {
        var response = new JWTBundlesResponse();
        foreach (var bundle in bundles)
        {
            response.Bundles[bundle.TrustDomain.IdString] = ByteString.CopyFrom(bundle.Marshal());
        }

        Publish(() => _jwtBundles.Add(response));
    }

    public void SetX509Bundles(params X509Bundle[] bundles)
    {
        var response = new X509BundlesResponse();
        foreach (var bundle in bundles)
        {
            response.Bundles[bundle.TrustDomain.IdString] = ByteString.CopyFrom(bundle.MarshalRaw());
        }

        Publish(() => _x509Bundles.Add(response));
    }

    /// <summary>Ends every open stream with <paramref name="status"/>.</summary>
    public void CloseStreams(Status status)
    {
        TaskCompletionSource<Status?> previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = NewSignal();
        }

        previous.TrySetResult(status);
    }

    public static X509SVIDResponse X509Response(X509Bundle ownBundle, IEnumerable<X509Svid> svids, params X509Bundle[] federated)
    {
        var response = new X509SVIDResponse();
        foreach (var svid in svids)
        {
            var (chain, key) = svid.MarshalRaw();
            response.Svids.Add(new X509SVID
            {
                SpiffeId = svid.Id.ToString(),
                X509Svid = ByteString.CopyFrom(chain),
                X509SvidKey = ByteString.CopyFrom(key),
                Bundle = ByteString.CopyFrom(ownBundle.MarshalRaw()),
                Hint = svid.Hint ?? string.Empty,
            });
        }

        foreach (var bundle in federated)
        {
            response.FederatedBundles[bundle.TrustDomain.IdString] = ByteString.CopyFrom(bundle.MarshalRaw());
        }

        return response;
    }

    public override async Task FetchX509SVID(
        X509SVIDRequest request,
        IServerStreamWriter<X509SVIDResponse> responseStream,
        ServerCallContext context)
    {
        Record("FetchX509SVID", request, context);
        lock (_gate)
        {
            if (_x509Failures.TryDequeue(out var failure))
            {
                throw new RpcException(failure);
            }
        }

        await StreamAsync(_x509, responseStream, context);
    }

    public override Task FetchX509Bundles(
        X509BundlesRequest request,
        IServerStreamWriter<X509BundlesResponse> responseStream,
        ServerCallContext context)
    {
        Record("FetchX509Bundles", request, context);
        return StreamAsync(_x509Bundles, responseStream, context);
    }

    public override Task FetchJWTBundles(
        JWTBundlesRequest request,
        IServerStreamWriter<JWTBundlesResponse> responseStream,
        ServerCallContext context)
    {
        Record("FetchJWTBundles", request, context);
        return StreamAsync(_jwtBundles, responseStream, context);
    }

    public override Task<JWTSVIDResponse> FetchJWTSVID(JWTSVIDRequest request, ServerCallContext context)
    {
        Record("FetchJWTSVID", request, context);
        var handler = JwtSvidHandler ?? throw new RpcException(new Status(StatusCode.PermissionDenied, "no identity issued"));
        return Task.FromResult(handler(request));
    }

    public override Task<ValidateJWTSVIDResponse> ValidateJWTSVID(ValidateJWTSVIDRequest request, ServerCallContext context)
    {
        Record("ValidateJWTSVID", request, context);
        var handler = ValidateHandler ?? throw new RpcException(new Status(StatusCode.Unimplemented, "not scripted"));
        return Task.FromResult(handler(request));
    }

    private async Task StreamAsync<T>(List<T> published, IServerStreamWriter<T> stream, ServerCallContext context)
        where T : class
    {
        // A new stream starts with the latest response (the complete state, Workload API §4.3), then follows every change.
        int next = -1;
        while (!context.CancellationToken.IsCancellationRequested)
        {
            Task<Status?> changed;
            T[] pending;
            lock (_gate)
            {
                changed = _changed.Task;
                if (next < 0)
                {
                    next = Math.Max(0, published.Count - 1);
                }

                pending = [.. published.Skip(next)];
                next += pending.Length;
            }

            foreach (var response in pending)
            {
                await stream.WriteAsync(response, context.CancellationToken);
            }

            var status = await changed.WaitAsync(context.CancellationToken);
            if (status is { } close)
            {
                throw new RpcException(close);
            }
        }
    }

    private void Record(string method, object request, ServerCallContext context)
    {
        string? header = context.RequestHeaders.Get("workload.spiffe.io")?.Value;
        _calls.Enqueue(new RecordedCall(method, header, request, DateTimeOffset.UtcNow));
        if (FailEverything is { } status)
        {
            throw new RpcException(status);
        }
    }

    private void Publish(Action change)
    {
        TaskCompletionSource<Status?> previous;
        lock (_gate)
        {
            change();
            previous = _changed;
            _changed = NewSignal();
        }

        previous.TrySetResult(null);
    }

    private static TaskCompletionSource<Status?> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
