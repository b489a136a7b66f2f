using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Agent.Identity;
using AgentFabric.Server.Api.V1;
using X509Svid = AgentFabric.Spiffe.Svid.X509.X509Svid;
using Selector = AgentFabric.Contracts.Selector;
using Empty = AgentFabric.Server.Api.V1.Empty;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.Tls;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentFabric.Agent.Node;

/// <summary>
/// The agent's side of the Agent API: attests with a join token (or resumes with the node SVID kept in the data
/// dir), renews the node SVID at half life and re-attests with it if it expired while the server was away, holds
/// the entry-sync stream open and applies every push (entries and bundles) to <see cref="Current"/>, and
/// signs/mints through the server. While the server is unreachable the last snapshot
/// stays in place (workloads keep their cached SVIDs) and every loop retries with backoff.
/// </summary>
public sealed partial class ServerIdentityProvider : IWorkloadIdentityProvider, IAsyncDisposable
{
    private readonly ServerConnectionOptions _options;
    private readonly NodeIdentityStore _store;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly SyncedEntries _entries = new();
    private X509Svid _node;
    private GrpcChannel _channel;
    private IdentitySnapshot _current;
    private Task _loops = Task.CompletedTask;
    private TaskCompletionSource _reconnect = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerIdentityProvider(ServerConnectionOptions options, NodeIdentityStore store, X509Svid node, X509Bundle bundle, ILogger logger, TimeProvider time)
    {
        _options = options;
        _store = store;
        _logger = logger;
        _time = time;
        _node = node;
        _current = new IdentitySnapshot(options.TrustDomain, [], new X509BundleSet(bundle), new JwtBundleSet(new JwtBundle(options.TrustDomain)));
        _channel = CreateChannel(node);
    }

    public IdentitySnapshot Current => Volatile.Read(ref _current);

    public event EventHandler? Changed;

    /// <summary>The node's SPIFFE ID (from its current SVID).</summary>
    public SpiffeId NodeId => Volatile.Read(ref _node).Id;

    /// <summary>When the node SVID expires.</summary>
    public DateTimeOffset NodeSvidExpiresAt => Volatile.Read(ref _node).NotAfter;

    /// <summary>True once the entry stream delivered a snapshot and while it stays connected.</summary>
    public bool Synced { get; private set; }

    /// <summary>The last failure talking to the server (unreachable, node SVID expired and token used...), or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>Raised after each server call with its latency (for SyncEntries: the time to apply one push).</summary>
    public event Action<string, TimeSpan>? ServerCallCompleted;

    /// <summary>
    /// Resumes with the stored node SVID when it is still valid, re-attests with it when it expired (falling back to
    /// the join token if refused), else attests with the join token; then starts the sync and renewal loops. Fails (clearly) only when there is no usable identity and attestation is refused.
    /// </summary>
    /// <exception cref="NodeAttestationException">No stored SVID and no token, or the server refused the token.</exception>
    public static async Task<ServerIdentityProvider> StartAsync(
        ServerConnectionOptions options,
        ILogger? logger = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var time = timeProvider ?? TimeProvider.System;
        logger ??= NullLogger.Instance;
        var store = new NodeIdentityStore(options.DataDir);
        var stored = store.LoadSvid();
        var bundle = store.LoadBundle(options.TrustDomain);
        ServerIdentityProvider provider;
        if (stored is not null && bundle is not null && stored.NotAfter > time.GetUtcNow())
        {
            logger.LogInformation("Resuming with the stored node SVID {NodeId} (expires {Expiry:u})", stored.Id, stored.NotAfter);
            provider = new ServerIdentityProvider(options, store, stored, bundle, logger, time);
        }
        else if (stored is not null && bundle is not null)
        {
            // Expired while the agent was down: prove we hold its key instead of needing a new join token.
            try
            {
                var (node, own) = await RecoverAsync(options, stored, bundle, time, cancellationToken).ConfigureAwait(false);
                store.Save(node, own);
                logger.LogInformation("The stored node SVID had expired; re-attested as {NodeId} (expires {Expiry:u})", node.Id, node.NotAfter);
                provider = new ServerIdentityProvider(options, store, node, own, logger, time);
            }
            catch (RpcException e) when (IsUnreachable(e))
            {
                // The server is away: start anyway (the renewal loop keeps trying) rather than fail the agent.
                logger.LogWarning("The stored node SVID expired and the server is unreachable ({Detail}); re-attesting once it is back", e.Status.Detail);
                provider = new ServerIdentityProvider(options, store, stored, bundle, logger, time);
            }
        }
        else
        {
            var (node, own) = await AttestAsync(options, bundle, time, cancellationToken).ConfigureAwait(false);
            store.Save(node, own);
            logger.LogInformation("Attested as {NodeId} (node SVID expires {Expiry:u})", node.Id, node.NotAfter);

            // A join token is single use: after an eviction this one is not offered again.
            provider = new ServerIdentityProvider(options, store, node, own, logger, time) { _spentToken = options.JoinToken };
        }

        provider._loops = Task.WhenAll(provider.SyncLoopAsync(), provider.RenewLoopAsync(), provider.BundleLoopAsync());
        return provider;
    }

    public async Task<IReadOnlyList<X509Certificate2>> SignX509SvidAsync(RegistrationEntry entry, byte[] csrDer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var started = Stopwatch.GetTimestamp();
        var response = await Client().SignX509SvidsAsync(
            new SignX509SvidsRequest { Requests = { new SvidRequest { EntryId = entry.EntryId, Csr = ByteString.CopyFrom(csrDer) } } },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        ServerCallCompleted?.Invoke("SignX509Svids", Stopwatch.GetElapsedTime(started));
        var result = response.Results.Single();
        if (result.Error.Length > 0)
        {
            throw new InvalidOperationException(result.Error);
        }

        return result.Svid.CertChain.Select(c => X509CertificateLoader.LoadCertificate(c.Span)).ToArray();
    }

    public async Task<string> MintJwtSvidAsync(RegistrationEntry entry, IReadOnlyList<string> audience, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var started = Stopwatch.GetTimestamp();
        var response = await Client().MintJwtSvidAsync(new MintJwtSvidRequest { EntryId = entry.EntryId, Audience = { audience } }, cancellationToken: cancellationToken).ConfigureAwait(false);
        ServerCallCompleted?.Invoke("MintJwtSvid", Stopwatch.GetElapsedTime(started));
        return response.Token;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _channel.Dispose();
        _stop.Dispose();
    }

    private AgentService.AgentServiceClient Client() => new(Volatile.Read(ref _channel));

    private SpiffeId ServerId => SpiffeId.FromSegments(_options.TrustDomain, "spire", "server");

    private GrpcChannel CreateChannel(X509Svid node)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = SpiffeTls.CreateMtlsClientOptions(node, Current.X509Bundles, SpiffeAuthorizer.Id(ServerId), _time),
            EnableMultipleHttp2Connections = true,
        };
        return GrpcChannel.ForAddress(ServerUri(_options), new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    private static string ServerUri(ServerConnectionOptions o) => $"https://{o.ServerAddress}:{o.ServerPort}";

    private static async Task<(X509Svid Node, X509Bundle Bundle)> AttestAsync(ServerConnectionOptions options, X509Bundle? known, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.JoinToken))
        {
            throw new NodeAttestationException(known is null
                ? "agent: no stored node SVID and no join_token: generate one with `agentfabric token generate` and set join_token"
                : "agent: the stored node SVID expired and no join_token is set: generate a new one with `agentfabric token generate`");
        }

        var serverId = SpiffeId.FromSegments(options.TrustDomain, "spire", "server");
        SslClientAuthenticationOptions tls;
        if (known is not null || options.TrustBundlePath is not null)
        {
            var bundle = known ?? X509Bundle.Load(options.TrustDomain, options.TrustBundlePath!);
            tls = SpiffeTls.CreateTlsClientOptions(bundle, SpiffeAuthorizer.Id(serverId), time);
        }
        else if (options.InsecureBootstrap)
        {
            // insecure_bootstrap (SPIRE): the first connection trusts any server; everything after uses the bundle it returns.
            tls = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true };
        }
        else
        {
            throw new NodeAttestationException("agent: set trust_bundle_path (the server's CA bundle, PEM) or insecure_bootstrap to make the first connection");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] csr = new CertificateRequest("CN=agentfabric-agent", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        using var handler = new SocketsHttpHandler { SslOptions = tls };
        using var channel = GrpcChannel.ForAddress(ServerUri(options), new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false });
        AttestAgentResponse response;
        try
        {
            response = await new AgentService.AgentServiceClient(channel).AttestAgentAsync(
                new AttestAgentRequest { AttestationType = "join_token", Payload = ByteString.CopyFromUtf8(options.JoinToken), Csr = ByteString.CopyFrom(csr) },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.PermissionDenied)
        {
            throw new NodeAttestationException($"agent: the server refused the join token ({e.Status.Detail}); a join token works once: generate a new one with `agentfabric token generate`", e);
        }
        catch (RpcException e)
        {
            throw new NodeAttestationException($"agent: attestation to {ServerUri(options)} failed: {e.Status.StatusCode}: {e.Status.Detail}", e);
        }

        return ReadAttested(options, response, key, time);
    }
}
