using AgentFabric.Agent.Cache;
using AgentFabric.Agent.Identity;
using AgentFabric.Spiffe.WorkloadApi.Proto;
using Google.Protobuf;
using Grpc.Core;

namespace AgentFabric.Agent.WorkloadApi;

/// <summary>
/// The SPIFFE Workload API as the agent serves it. Every call is attested first; streams send the complete state at
/// once (Workload API §4.3) and again whenever it changes (SVID rotated, entry or bundle changed), and end with
/// PermissionDenied when the caller's last identity goes away.
/// </summary>
internal sealed partial class WorkloadApiService(
    WorkloadCallerResolver resolver,
    WorkloadSvidCache cache,
    IWorkloadIdentityProvider provider,
    SharedResponses responses) : SpiffeWorkloadAPI.SpiffeWorkloadAPIBase
{
    public override async Task FetchX509SVID(
        X509SVIDRequest request,
        IServerStreamWriter<X509SVIDResponse> responseStream,
        ServerCallContext context)
    {
        var caller = await resolver.ResolveAsync(context).ConfigureAwait(false);
        IDisposable? subscription = null;
        string[] subscribed = [];
        try
        {
            SharedResponse<X509SVIDResponse>? last = null;
            while (!context.CancellationToken.IsCancellationRequested)
            {
                var changed = cache.Changes.Next;
                var snapshot = provider.Current;
                var entries = caller.Match(snapshot);
                if (entries.Count == 0)
                {
                    throw WorkloadCallerResolver.NoIdentity(caller);
                }

                string[] ids = [.. entries.Select(e => e.EntryId)];
                if (!ids.SequenceEqual(subscribed))
                {
                    var next = cache.Subscribe(ids);
                    subscription?.Dispose();
                    (subscription, subscribed) = (next, ids);
                }

                var response = await GetX509ResponseAsync(snapshot, entries, context.CancellationToken).ConfigureAwait(false);
                if (response.DiffersFrom(last))
                {
                    await responseStream.WriteAsync(response.Message, context.CancellationToken).ConfigureAwait(false);
                }

                last = response;

                // A client closing the stream is how every one-shot fetch ends: leave the loop without an exception.
                await changed.WaitAsync(context.CancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            subscription?.Dispose();
        }
    }

    public override async Task FetchX509Bundles(
        X509BundlesRequest request,
        IServerStreamWriter<X509BundlesResponse> responseStream,
        ServerCallContext context)
    {
        var caller = await resolver.ResolveAsync(context).ConfigureAwait(false);
        await StreamAsync(
            caller,
            static snapshot =>
            {
                var response = new X509BundlesResponse();
                foreach (var bundle in snapshot.X509Bundles.Bundles)
                {
                    response.Bundles[bundle.TrustDomain.IdString] = ByteString.CopyFrom(bundle.MarshalRaw());
                }

                return response;
            },
            responseStream,
            context).ConfigureAwait(false);
    }

    public override async Task FetchJWTBundles(
        JWTBundlesRequest request,
        IServerStreamWriter<JWTBundlesResponse> responseStream,
        ServerCallContext context)
    {
        var caller = await resolver.ResolveAsync(context).ConfigureAwait(false);
        await StreamAsync(
            caller,
            static snapshot =>
            {
                var response = new JWTBundlesResponse();
                foreach (var bundle in snapshot.JwtBundles.Bundles)
                {
                    response.Bundles[bundle.TrustDomain.IdString] = ByteString.CopyFrom(bundle.Marshal());
                }

                return response;
            },
            responseStream,
            context).ConfigureAwait(false);
    }

    /// <summary>The response for these entries: shared with every stream whose caller matched the same entries and
    /// sees the same SVIDs, built only by the first.</summary>
    private async Task<SharedResponse<X509SVIDResponse>> GetX509ResponseAsync(
        IdentitySnapshot snapshot,
        IReadOnlyList<RegistrationEntry> entries,
        CancellationToken cancellationToken)
    {
        var svids = new List<object>(entries.Count);
        var sent = new List<(RegistrationEntry Entry, CachedX509Svid Svid)>(entries.Count);
        var hints = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            // Workload API §5.2.1: a hint is unique within a response; a later entry with a taken hint is left out.
            if (entry.Hint is { Length: > 0 } hint && !hints.Add(hint))
            {
                continue;
            }

            var svid = await Unavailable(() => cache.GetX509SvidAsync(entry, cancellationToken), entry).ConfigureAwait(false);
            svids.Add(svid);
            sent.Add((entry, svid));
        }

        return responses.ForSvids(snapshot, [.. entries], [.. svids], () => BuildX509Response(snapshot, entries, sent));
    }

    private static X509SVIDResponse BuildX509Response(
        IdentitySnapshot snapshot,
        IReadOnlyList<RegistrationEntry> entries,
        List<(RegistrationEntry Entry, CachedX509Svid Svid)> sent)
    {
        var response = new X509SVIDResponse();
        foreach (var (entry, svid) in sent)
        {
            var trustDomain = entry.SpiffeId.TrustDomain;
            response.Svids.Add(new X509SVID
            {
                SpiffeId = svid.Id.ToString(),
                // The cache's bytes as they are, not a copy: they are never written to, and one less copy of
                // the key lies around.
                X509Svid = UnsafeByteOperations.UnsafeWrap(svid.Certificates),
                X509SvidKey = UnsafeByteOperations.UnsafeWrap(svid.PrivateKey),
                Bundle = snapshot.X509Bundles.TryGet(trustDomain, out var own)
                    ? ByteString.CopyFrom(own.MarshalRaw())
                    : throw new RpcException(new Status(StatusCode.Unavailable, $"agent: no bundle for trust domain {trustDomain} yet")),
                Hint = entry.Hint,
            });
        }

        // Workload API §4.6: the other trust domains' bundles go into federated_bundles, keyed by trust domain SPIFFE ID.
        var ownDomains = entries.Select(e => e.SpiffeId.TrustDomain).ToHashSet();
        foreach (var bundle in snapshot.X509Bundles.Bundles.Where(b => !ownDomains.Contains(b.TrustDomain)))
        {
            response.FederatedBundles[bundle.TrustDomain.IdString] = ByteString.CopyFrom(bundle.MarshalRaw());
        }

        return response;
    }

    /// <summary>
    /// A signing failure with nothing valid cached (server unreachable before the first issue) is Unavailable, which
    /// clients retry with a backoff (Workload Endpoint §6), not an opaque Unknown.
    /// </summary>
    private static async Task<T> Unavailable<T>(Func<Task<T>> issue, RegistrationEntry entry)
    {
        try
        {
            return await issue().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (RpcException or OperationCanceledException))
        {
            throw new RpcException(new Status(
                StatusCode.Unavailable,
                $"agent: cannot obtain an SVID for {entry.SpiffeId} (entry {entry.EntryId}): {ex.Message}"));
        }
    }

    private async Task StreamAsync<T>(
        WorkloadCaller caller,
        Func<IdentitySnapshot, T> build,
        IServerStreamWriter<T> responseStream,
        ServerCallContext context)
        where T : IMessage<T>
    {
        try
        {
            SharedResponse<T>? last = null;
            while (!context.CancellationToken.IsCancellationRequested)
            {
                var changed = cache.Changes.Next;
                var snapshot = provider.Current;
                // Bundles go to workloads that hold an identity (SPIRE's default without unauthenticated verifiers).
                if (caller.Match(snapshot).Count == 0)
                {
                    throw WorkloadCallerResolver.NoIdentity(caller);
                }

                var response = responses.ForSnapshot(snapshot, build);
                if (response.DiffersFrom(last))
                {
                    await responseStream.WriteAsync(response.Message, context.CancellationToken).ConfigureAwait(false);
                }

                last = response;
                await changed.WaitAsync(context.CancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }
}
