using AgentFabric.Server.Attestation;
using AgentFabric.Server.Ca;
using AgentFabric.Server.Config;
using AgentFabric.Server.Datastore;
using AgentFabric.Server.Federation;
using AgentFabric.Server.KeyManagement;
using AgentFabric.Server.Registration;
using AgentFabric.Contracts.Telemetry;
using AgentFabric.Server.Telemetry;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Server.Hosting;

/// <summary>
/// Everything the server is, without a network: datastore, key manager, CA, registration, bundles, node
/// attestation and metrics, wired from the settings. The host puts gRPC and HTTP in front of it.
/// </summary>
public sealed class ServerRuntime : IAsyncDisposable
{
    private readonly IDisposable? _keysDisposable;
    private readonly UpstreamAuthority? _upstream;

    private ServerRuntime(ServerSettings settings, SqlDataStore store, IKeyManager keys, UpstreamAuthority? upstream, X509Ca ca,
        RegistrationService registration, BundleService bundles, AgentAuthority authority, ServerMetrics metrics,
        PrometheusTextExporter exporter, ServerSvidSource serverSvid, TimeProvider time)
    {
        Settings = settings;
        Store = store;
        Keys = keys;
        _keysDisposable = keys as IDisposable;
        _upstream = upstream;
        Ca = ca;
        Registration = registration;
        Bundles = bundles;
        Authority = authority;
        Metrics = metrics;
        Exporter = exporter;
        ServerSvid = serverSvid;
        Time = time;
    }

    public ServerSettings Settings { get; }
    public SqlDataStore Store { get; }
    public IKeyManager Keys { get; }
    public X509Ca Ca { get; }
    public RegistrationService Registration { get; }
    public BundleService Bundles { get; }
    public AgentAuthority Authority { get; }
    public ServerMetrics Metrics { get; }
    public PrometheusTextExporter Exporter { get; }
    public ServerSvidSource ServerSvid { get; }
    public TimeProvider Time { get; }
    public JwtAuthority Jwt { get; private init; } = null!;

    /// <summary>The config's and the dynamic federation relationships.</summary>
    public FederationRelationships Relationships { get; private init; } = null!;

    /// <summary>Refreshes the federated bundles (the host runs it; <c>federation refresh</c> calls it).</summary>
    public BundleRefresher Refresher { get; private init; } = null!;

    /// <summary>Mints SVIDs by SPIFFE ID for admins (<c>x509 mint</c>, <c>jwt mint</c>).</summary>
    public AdminSvidMinter AdminMinter { get; private init; } = null!;

    public static async Task<ServerRuntime> StartAsync(ServerSettings settings, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // The CA never changes silently: refuse before anything on disk is created or changed.
        CaContinuity.CheckDatastoreFile(settings);

        // The data directory holds the CA journal, keys and (by default) the database: private to the server's user.
        Datastore.SqliteFileModes.CreatePrivateDirectory(settings.DataDir);
        var store = await SqlDataStore.OpenAsync(settings.DatastoreKind, settings.DatastoreConnectionString, time, cancellationToken).ConfigureAwait(false);
        IKeyManager? keys = null;
        UpstreamAuthority? upstream = null;
        try
        {
            await CaContinuity.CheckCaStateAsync(settings, store, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            keys = settings.KeyManagerKind == KeyManagerKind.Disk ? new DiskKeyManager(settings.KeysPath) : new MemoryKeyManager();
            upstream = settings.UpstreamAuthority is { } u ? UpstreamAuthority.Load(u.CertFilePath, u.KeyFilePath, u.BundleFilePath) : null;
            return await ComposeAsync(settings, store, keys, upstream, loggers, time, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A start that fails part way leaves nothing open.
            upstream?.Dispose();
            (keys as IDisposable)?.Dispose();
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<ServerRuntime> ComposeAsync(
        ServerSettings settings, SqlDataStore store, IKeyManager keys, UpstreamAuthority? upstream, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        var ca = new X509Ca(settings.TrustDomain, settings.CaSubject, settings.CaTtl, keys, new CaJournal(CaContinuity.JournalPath(settings)), upstream, time);
        ca.Initialize(startNew: settings.ForceNewCa);

        var cache = new EntryCache();
        var registration = new RegistrationService(settings.TrustDomain, store, cache, time);
        await registration.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var metrics = new ServerMetrics(() => cache.Count);
        var exporter = new PrometheusTextExporter(metrics.Meter);
        var jwt = new JwtAuthority(keys, Path.Combine(settings.DataDir, "jwt-journal.json"), settings.CaTtl, time);
        jwt.Initialize();
        var bundles = new BundleService(store, ca, settings.BundleEndpoint?.RefreshHint ?? TimeSpan.FromMinutes(5), metrics, jwt.PublicAuthorities);
        await bundles.PublishOwnAsync(cancellationToken).ConfigureAwait(false);
        var authority = new AgentAuthority(store, ca, registration, [new JoinTokenAttestor(store, registration, time)],
            settings.AgentTtl, settings.DefaultX509SvidTtl, metrics, loggers.CreateLogger("AgentFabric.Server.Attestation"), time,
            new JwtSvidMinter(jwt, settings.JwtIssuer, time), settings.DefaultJwtSvidTtl)
        {
            ReattestGrace = settings.AgentReattestGrace,
        };
        var serverSvid = new ServerSvidSource(ca, settings.DefaultX509SvidTtl, time);
        var relationships = new FederationRelationships(store, bundles, settings.FederatesWith);
        return new ServerRuntime(settings, store, keys, upstream, ca, registration, bundles, authority, metrics, exporter, serverSvid, time)
        {
            Jwt = jwt,
            Relationships = relationships,
            Refresher = new BundleRefresher(bundles, relationships, time, loggers.CreateLogger("AgentFabric.Server.Federation")),
            AdminMinter = new AdminSvidMinter(ca, new JwtSvidMinter(jwt, settings.JwtIssuer, time), settings.DefaultX509SvidTtl, settings.DefaultJwtSvidTtl, metrics),
        };
    }

    /// <summary>One step of the CA schedule; republishes the bundle when the authorities changed.</summary>
    public async Task<IReadOnlyList<string>> RotateOnceAsync(CancellationToken cancellationToken = default)
    {
        var steps = Ca.Rotate().Concat(Jwt.Rotate().Select(s => "jwt " + s)).ToList();
        if (steps.Count > 0)
        {
            await Bundles.PublishOwnAsync(cancellationToken).ConfigureAwait(false);
        }

        return steps;
    }

    /// <summary>Ready when the datastore answers and a CA is active.</summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
            return Ca.Active.NotAfter > Time.GetUtcNow();
        }
        catch (DatastoreException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Exporter.Dispose();
        Metrics.Dispose();
        await Store.DisposeAsync().ConfigureAwait(false);
        _upstream?.Dispose();
        _keysDisposable?.Dispose();
    }
}
