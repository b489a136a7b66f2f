using AgentFabric.Server.Attestation;
using AgentFabric.Server.Ca;
using AgentFabric.Server.Federation;
using AgentFabric.Server.Telemetry;
using AgentFabric.Spiffe;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Api;

/// <summary>
/// The Agent API (TCP, TLS): a thin layer over <see cref="AgentAuthority"/>. Every call but AttestAgent needs the
/// node's current SVID as client certificate; attestation and signing are rate limited per caller IP.
/// </summary>
internal sealed class AgentApi(
    AgentAuthority authority,
    BundleService bundles,
    AgentApiLimits limits,
    ServerMetrics metrics,
    TimeProvider time,
    IHostApplicationLifetime lifetime) : V1.AgentService.AgentServiceBase
{
    public override Task<V1.AttestAgentResponse> AttestAgent(V1.AttestAgentRequest request, ServerCallContext context) =>
        Timed("AttestAgent", async () =>
        {
            if (!limits.Attestation.TryAcquire(CallerIp(context)))
            {
                metrics.Refused("rate_limit_attestation");
                throw new RpcException(new Status(StatusCode.ResourceExhausted, "attestation: rate limit exceeded for this caller; retry later"));
            }

            var svid = await authority.AttestAsync(request.AttestationType, request.Payload.Memory, request.Csr.ToByteArray(), context.CancellationToken).ConfigureAwait(false);
            return new V1.AttestAgentResponse
            {
                Svid = ProtoMapping.ToProto(svid),
                Bundle = ProtoMapping.ToProto(await bundles.GetOwnAsync(context.CancellationToken).ConfigureAwait(false)),
            };
        });

    public override Task<V1.AttestAgentResponse> ReattestAgent(V1.ReattestAgentRequest request, ServerCallContext context) =>
        Timed("ReattestAgent", async () =>
        {
            // Same per-caller limit as attestation: each attempt costs a path validation and a signature check.
            if (!limits.Attestation.TryAcquire(CallerIp(context)))
            {
                metrics.Refused("rate_limit_attestation");
                throw new RpcException(new Status(StatusCode.ResourceExhausted, "attestation: rate limit exceeded for this caller; retry later"));
            }

            var svid = await authority.ReattestAsync(
                request.SvidChain.Select(c => c.ToByteArray()).ToArray(),
                request.Csr.ToByteArray(),
                request.SignedAt,
                request.Signature.ToByteArray(),
                context.CancellationToken).ConfigureAwait(false);
            return new V1.AttestAgentResponse
            {
                Svid = ProtoMapping.ToProto(svid),
                Bundle = ProtoMapping.ToProto(await bundles.GetOwnAsync(context.CancellationToken).ConfigureAwait(false)),
            };
        });

    public override Task<V1.RenewAgentResponse> RenewAgent(V1.RenewAgentRequest request, ServerCallContext context) =>
        Timed("RenewAgent", async () =>
        {
            var node = await AuthenticateAsync(context).ConfigureAwait(false);
            var svid = await authority.RenewAsync(node, request.Csr.ToByteArray(), context.CancellationToken).ConfigureAwait(false);
            return new V1.RenewAgentResponse { Svid = ProtoMapping.ToProto(svid) };
        });

    public override async Task SyncEntries(V1.SyncEntriesRequest request, IServerStreamWriter<V1.SyncEntriesResponse> responseStream, ServerCallContext context)
    {
        var node = await RpcErrors.Run(() => AuthenticateAsync(context)).ConfigureAwait(false);
        var sync = new EntrySync(request.KnownRevisions);

        // A stream never ends by itself: end it when the server stops, or shutdown waits out Kestrel's timeout.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var ct = stopping.Token;
        var first = true;
        var checkNode = false;
        var sendBundles = true;
        V1.GetBundlesResponse? sentBundles = null;
        while (!ct.IsCancellationRequested)
        {
            // Take the signals before reading state: a change in between wakes the wait at once.
            var entriesChanged = authority.Entries.Changed.Next;
            var nodesChanged = authority.NodesChanged.Next;
            var bundlesChanged = bundles.Changed.Next;

            // The datastore is asked about the node only when some node changed, not on every entry change.
            if (checkNode && !await authority.IsNodeActiveAsync(node, ct).ConfigureAwait(false))
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied, $"attestation: node \"{node}\" was evicted or banned"));
            }

            var update = sync.Next(authority.Entries.AuthorizedEntries(node, time.GetUtcNow().ToUnixTimeSeconds()), authority.Entries.Revision);
            if (sendBundles)
            {
                // Pushed, not polled: the set goes out with the first message and after every bundle change (one
                // that left the set as it was, e.g. a refresh with the same content, is not sent again).
                var current = await RpcErrors.Run(() => SharedBundleSetAsync(ct)).ConfigureAwait(false);
                if (!current.Equals(sentBundles))
                {
                    update ??= new V1.SyncEntriesResponse { Revision = authority.Entries.Revision };
                    update.Bundles = current;
                    sentBundles = current;
                }
            }

            if (first || update is not null)
            {
                await responseStream.WriteAsync(update ?? new V1.SyncEntriesResponse { Revision = authority.Entries.Revision }, ct).ConfigureAwait(false);
                first = false;
            }

            try
            {
                await Task.WhenAny(entriesChanged, nodesChanged, bundlesChanged).WaitAsync(ct).ConfigureAwait(false);
                checkNode = nodesChanged.IsCompleted;
                sendBundles = bundlesChanged.IsCompleted;
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "agent: the server is shutting down; reconnect"));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override Task<V1.SignX509SvidsResponse> SignX509Svids(V1.SignX509SvidsRequest request, ServerCallContext context) =>
        Timed("SignX509Svids", async () =>
        {
            var node = await AuthenticateAsync(context).ConfigureAwait(false);
            if (!limits.Signing.TryAcquire(CallerIp(context), Math.Max(1, request.Requests.Count)))
            {
                metrics.Refused("rate_limit_signing");
                throw new RpcException(new Status(StatusCode.ResourceExhausted, "attestation: signing rate limit exceeded for this caller; retry later"));
            }

            var response = new V1.SignX509SvidsResponse();
            foreach (var item in request.Requests)
            {
                var result = new V1.SvidResult { EntryId = item.EntryId };
                try
                {
                    result.Svid = ProtoMapping.ToProto(authority.SignWorkloadSvid(node, item.EntryId, item.Csr.Span));
                }
                catch (Exception e) when (e is AttestationException or CaException)
                {
                    result.Error = e.Message;
                }

                response.Results.Add(result);
            }

            return response;
        });

    public override Task<V1.GetBundlesResponse> GetBundles(V1.Empty request, ServerCallContext context) =>
        Timed("GetBundles", async () =>
        {
            await AuthenticateAsync(context).ConfigureAwait(false);
            return await BundleSetAsync(context.CancellationToken).ConfigureAwait(false);
        });

    public override Task<V1.MintJwtSvidResponse> MintJwtSvid(V1.MintJwtSvidRequest request, ServerCallContext context) =>
        Timed("MintJwtSvid", async () =>
        {
            var node = await AuthenticateAsync(context).ConfigureAwait(false);
            if (!limits.Signing.TryAcquire(CallerIp(context)))
            {
                metrics.Refused("rate_limit_signing");
                throw new RpcException(new Status(StatusCode.ResourceExhausted, "attestation: signing rate limit exceeded for this caller; retry later"));
            }

            var (id, token, expiry) = authority.MintJwtSvid(node, request.EntryId, request.Audience.ToArray());
            return new V1.MintJwtSvidResponse { SpiffeId = id.ToString(), Token = token, ExpiresAt = expiry.ToUnixTimeSeconds() };
        });

    /// <summary>Our bundle and every federated one, as GetBundles and the sync stream send them.</summary>
    private async Task<V1.GetBundlesResponse> BundleSetAsync(CancellationToken cancellationToken)
    {
        var response = new V1.GetBundlesResponse { Bundle = ProtoMapping.ToProto(await bundles.GetOwnAsync(cancellationToken).ConfigureAwait(false)) };
        response.Federated.AddRange((await bundles.ListFederatedAsync(null, cancellationToken).ConfigureAwait(false)).Select(ProtoMapping.ToProto));
        return response;
    }

    /// <summary>The same, read once per bundle change for all streams.</summary>
    private async Task<V1.GetBundlesResponse> SharedBundleSetAsync(CancellationToken cancellationToken)
    {
        var set = await bundles.GetSetAsync(cancellationToken).ConfigureAwait(false);
        var response = new V1.GetBundlesResponse { Bundle = ProtoMapping.ToProto(set.Own) };
        response.Federated.AddRange(set.Federated.Select(ProtoMapping.ToProto));
        return response;
    }

    private Task<SpiffeId> AuthenticateAsync(ServerCallContext context)
    {
        var certificate = context.GetHttpContext().Connection.ClientCertificate;
        return authority.AuthenticateNodeAsync(certificate, context.CancellationToken);
    }

    private static string CallerIp(ServerCallContext context) =>
        context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? "local";

    private async Task<T> Timed<T>(string method, Func<Task<T>> call)
    {
        var start = ServerMetrics.Start();
        try
        {
            return await RpcErrors.Run(call).ConfigureAwait(false);
        }
        finally
        {
            metrics.ApiCall("agent." + method, System.Diagnostics.Stopwatch.GetElapsedTime(start));
        }
    }
}

/// <summary>The per-caller rate limits of the Agent API.</summary>
internal sealed record AgentApiLimits(PerCallerRateLimiter Attestation, PerCallerRateLimiter Signing);
