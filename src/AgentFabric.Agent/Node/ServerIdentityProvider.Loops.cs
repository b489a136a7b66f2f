using System.Diagnostics;
using AgentFabric.Agent.Identity;
using AgentFabric.Server.Api.V1;
using X509Svid = AgentFabric.Spiffe.Svid.X509.X509Svid;
using Empty = AgentFabric.Server.Api.V1.Empty;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Agent.Node;

public sealed partial class ServerIdentityProvider
{
    /// <summary>Holds the sync stream open; on any failure keeps the last snapshot and reconnects with backoff.</summary>
    private async Task SyncLoopAsync()
    {
        var ct = _stop.Token;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var request = new SyncEntriesRequest();
                lock (_gate)
                {
                    _entries.CopyRevisionsTo(request.KnownRevisions);
                }

                using var call = Client().SyncEntries(request, cancellationToken: ct);
                var first = true;
                while (await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
                {
                    var started = Stopwatch.GetTimestamp();
                    var update = call.ResponseStream.Current;
                    Apply(update);
                    if (first && update.Bundles is null)
                    {
                        // A server that does not push bundles on the stream: fetch them as before.
                        await RefreshBundlesAsync(ct).ConfigureAwait(false);
                    }

                    first = false;
                    Synced = true;
                    LastError = null;
                    backoff = TimeSpan.FromMilliseconds(100);
                    ServerCallCompleted?.Invoke("SyncEntries", Stopwatch.GetElapsedTime(started));
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.PermissionDenied)
            {
                Synced = false;
                await OnNodeRefusedAsync(e, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Fail("entry sync", e);
            }

            Synced = false;
            await WaitOrReconnectAsync(backoff, ct).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
        }
    }

    /// <summary>The backoff wait, cut short when a new node SVID arrived (the old one may be why we failed).</summary>
    private async Task WaitOrReconnectAsync(TimeSpan backoff, CancellationToken ct)
    {
        var reconnect = Volatile.Read(ref _reconnect).Task;
        await Task.WhenAny(Task.Delay(backoff, _time, ct), reconnect).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>Renews the node SVID at half its lifetime; when it expired while the server was away, re-attests
    /// with it (proof of its key), falling back to the join token only if the server refuses.</summary>
    private async Task RenewLoopAsync()
    {
        var ct = _stop.Token;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!ct.IsCancellationRequested)
        {
            var node = Volatile.Read(ref _node);
            var half = node.Leaf.NotBefore.ToUniversalTime() + ((node.Leaf.NotAfter - node.Leaf.NotBefore) / 2);
            var wait = new DateTimeOffset(half) - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }

            try
            {
                if (node.NotAfter <= _time.GetUtcNow())
                {
                    var started = Stopwatch.GetTimestamp();
                    var (fresh, own) = await RecoverAsync(_options, node, Current.X509Bundles.GetX509BundleForTrustDomain(_options.TrustDomain), _time, ct).ConfigureAwait(false);
                    Replace(fresh, own);
                    ServerCallCompleted?.Invoke("ReattestAgent", Stopwatch.GetElapsedTime(started));
                    _logger.LogWarning("Node SVID had expired (at {Expired:u}); re-attested as {NodeId} (expires {Expiry:u})", node.NotAfter, fresh.Id, fresh.NotAfter);
                }
                else
                {
                    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                    var csr = new CertificateRequest("CN=agentfabric-agent", key, HashAlgorithmName.SHA256).CreateSigningRequest();
                    var response = await Client().RenewAgentAsync(new RenewAgentRequest { Csr = ByteString.CopyFrom(csr) }, cancellationToken: ct).ConfigureAwait(false);
                    var exportable = ECDsa.Create();
                    exportable.ImportParameters(key.ExportParameters(includePrivateParameters: true));
                    var chain = response.Svid.CertChain.Select(c => X509CertificateLoader.LoadCertificate(c.Span)).ToArray();
                    Replace(X509Svid.Create(chain, exportable), Current.X509Bundles.GetX509BundleForTrustDomain(_options.TrustDomain));
                    _logger.LogInformation("Renewed the node SVID (expires {Expiry:u})", chain[0].NotAfter.ToUniversalTime());
                }

                backoff = TimeSpan.FromMilliseconds(100);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Unreachable: retry soon (the server may be back any moment); refused: no point hammering it.
                Fail(node.NotAfter <= _time.GetUtcNow() ? "node re-attestation" : "node SVID renewal", e);
                await Task.Delay(IsUnreachable(e) ? backoff : _options.MaxBackoff, _time, ct).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Bundles are pushed on the entry stream; this slow poll is only a safety net (e.g. a federated bundle
    /// set through another server sharing the datastore, whose changes this server's stream does not see).</summary>
    private async Task BundleLoopAsync()
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(_options.BundleRefreshInterval, _time, ct).ConfigureAwait(false);
            try
            {
                await RefreshBundlesAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Fail("bundle refresh", e);
            }
        }
    }

    private async Task RefreshBundlesAsync(CancellationToken ct)
    {
        var response = await Client().GetBundlesAsync(new Empty(), cancellationToken: ct).ConfigureAwait(false);
        var updated = WithBundles(Current, response);
        if (updated is not null)
        {
            Publish(updated);
        }
    }

    /// <summary>The snapshot with the bundle set from the server (own first, then federated), or null when it holds
    /// the same bundles already; the own bundle is persisted for the next start.</summary>
    private IdentitySnapshot? WithBundles(IdentitySnapshot old, GetBundlesResponse response)
    {
        var x509 = new List<X509Bundle>();
        var jwt = new List<JwtBundle>();
        foreach (var b in response.Federated.Prepend(response.Bundle))
        {
            var td = TrustDomain.Parse(b.TrustDomain);
            x509.Add(new X509Bundle(td, b.X509Authorities.Select(a => X509CertificateLoader.LoadCertificate(a.Span))));
            jwt.Add(ParseJwtKeys(td, b.JwtAuthoritiesJwks));
        }

        if (SameBundles(old, x509, jwt))
        {
            return null;
        }

        _store.Save(Volatile.Read(ref _node), x509[0]);
        return old with { X509Bundles = new X509BundleSet(x509), JwtBundles = new JwtBundleSet(jwt) };
    }

    /// <summary>The server sends either a JWK Set or (as it stores them) the bare array of its keys.</summary>
    private static JwtBundle ParseJwtKeys(TrustDomain td, string json)
    {
        var text = json.AsSpan().TrimStart();
        if (text.IsEmpty)
        {
            return new JwtBundle(td);
        }

        string jwks = text[0] == '[' ? "{\"keys\":" + json + "}" : json;
        return JwtBundle.Parse(td, System.Text.Encoding.UTF8.GetBytes(jwks));
    }

    private static bool SameBundles(IdentitySnapshot old, List<X509Bundle> x509, List<JwtBundle> jwt) =>
        old.X509Bundles.Count == x509.Count && old.JwtBundles.Count == jwt.Count
        && x509.All(b => old.X509Bundles.TryGet(b.TrustDomain, out var o) && o.ContentEquals(b))
        && jwt.All(b => old.JwtBundles.TryGet(b.TrustDomain, out var o) && o.ContentEquals(b));

    /// <summary>One push: entry changes and, when present, the new bundle set, published as one snapshot. Costs in
    /// proportion to what the push carries (<see cref="SyncedEntries"/>).</summary>
    private void Apply(SyncEntriesResponse update)
    {
        IReadOnlyList<RegistrationEntry>? entries = null;
        lock (_gate)
        {
            if (_entries.Apply(update.RemovedEntryIds, update.Upserted) || !Synced)
            {
                entries = _entries.Served;
            }
        }

        var snapshot = Current;
        var changed = false;
        if (entries is not null)
        {
            snapshot = snapshot with { Entries = entries };
            changed = true;
        }

        if (update.Bundles is not null && WithBundles(snapshot, update.Bundles) is { } withBundles)
        {
            snapshot = withBundles;
            changed = true;
        }

        if (changed)
        {
            Publish(snapshot);
        }
    }

    private void Publish(IdentitySnapshot snapshot)
    {
        Volatile.Write(ref _current, snapshot);
        Changed?.Invoke(this, EventArgs.Empty);
    }

    private void Replace(X509Svid node, X509Bundle own)
    {
        _store.Save(node, own);
        Volatile.Write(ref _node, node);
        var old = Interlocked.Exchange(ref _channel, CreateChannel(node));

        // A sync loop backing off (its stream failed with the old SVID) reconnects at once with the new one.
        Interlocked.Exchange(ref _reconnect, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        // Calls in flight on the old channel finish; it is released after they had time to.
        _ = Task.Delay(TimeSpan.FromSeconds(30), _time).ContinueWith(_ => old.Dispose(), TaskScheduler.Default);
    }

    private void Fail(string what, Exception e)
    {
        string detail = e is RpcException r ? $"{r.StatusCode}: {r.Status.Detail}" : e.Message;
        LastError = $"{what}: {detail}";
        _logger.LogWarning("Server unreachable or refused ({What}): {Detail}; serving cached identities, retrying", what, detail);
    }
}
