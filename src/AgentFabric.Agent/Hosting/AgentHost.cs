using System.Net;
using AgentFabric.Agent.Attestation;
using AgentFabric.Agent.Config;
using AgentFabric.Agent.Node;
using AgentFabric.Agent.Telemetry;
using AgentFabric.Contracts.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Agent.Hosting;

/// <summary>
/// The node agent from its <see cref="AgentConfig"/>, as <c>agent run</c> runs it: attests to the server
/// (<see cref="ServerIdentityProvider"/>), serves the Workload API on the Unix socket with the configured workload
/// attestors (<see cref="WorkloadEndpoint"/>), and answers /live /ready /metrics on the health port. Disposing stops
/// them in reverse order.
/// </summary>
public sealed partial class AgentHost : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly ServerIdentityProvider _provider;
    private readonly ConfiguredAttestors _attestors;
    private readonly AgentMetrics _metrics;
    private readonly PrometheusTextExporter _exporter;
    private readonly WorkloadEndpoint _endpoint;
    private readonly WebApplication _health;

    private AgentHost(ILoggerFactory loggers, ServerIdentityProvider provider, ConfiguredAttestors attestors, AgentMetrics metrics,
        PrometheusTextExporter exporter, WorkloadEndpoint endpoint, WebApplication health)
    {
        _loggers = loggers;
        _provider = provider;
        _attestors = attestors;
        _metrics = metrics;
        _exporter = exporter;
        _endpoint = endpoint;
        _health = health;
    }

    /// <summary>The agent's link to the server (its node identity, sync state, entries).</summary>
    public ServerIdentityProvider Provider => _provider;

    /// <summary>The Workload API endpoint.</summary>
    public WorkloadEndpoint Endpoint => _endpoint;

    /// <summary>Attests to the server and starts serving. <paramref name="logging"/> replaces the default log output
    /// (single-line console at the configured <c>log_level</c>).</summary>
    /// <exception cref="NodeAttestationException">The server refused the agent, or no stored SVID and no join token.</exception>
    /// <exception cref="InvalidDataException">The stored node identity is unreadable.</exception>
    /// <exception cref="AgentFabric.Spiffe.Bundles.X509.X509BundleException">The trust bundle file is unreadable.</exception>
    public static async Task<AgentHost> StartAsync(AgentConfig settings, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var loggers = LoggerFactory.Create(b =>
        {
            if (logging is not null)
            {
                logging(b);
                return;
            }

            b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(settings.LogLevel switch
            {
                "DEBUG" => LogLevel.Debug,
                "WARN" => LogLevel.Warning,
                "ERROR" => LogLevel.Error,
                _ => LogLevel.Information,
            });
        });
        var log = loggers.CreateLogger("agentfabric.agent");
        ServerIdentityProvider? provider = null;
        ConfiguredAttestors? configured = null;
        AgentMetrics? metrics = null;
        PrometheusTextExporter? exporter = null;
        WorkloadEndpoint? endpoint = null;
        try
        {
            provider = await ServerIdentityProvider.StartAsync(
                new ServerConnectionOptions
                {
                    TrustDomain = settings.TrustDomain,
                    ServerAddress = settings.ServerAddress,
                    ServerPort = settings.ServerPort,
                    DataDir = settings.DataDir,
                    JoinToken = settings.JoinToken,
                    TrustBundlePath = settings.TrustBundlePath,
                    InsecureBootstrap = settings.InsecureBootstrap,
                },
                log,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            metrics = new AgentMetrics();
            provider.ServerCallCompleted += metrics.ServerCall;
            configured = ConfiguredAttestors.Create(settings.WorkloadAttestors, new LinuxProcessTable());
            var attestor = new CountingAttestor(configured.Attestors);
            endpoint = await WorkloadEndpoint.StartAsync(new WorkloadEndpointOptions { SocketPath = settings.SocketPath, NotReadyReason = NotReadyReason(provider) }, provider, [attestor], cancellationToken: cancellationToken).ConfigureAwait(false);
            metrics.Observe(attestor, endpoint, provider);
            exporter = new PrometheusTextExporter(metrics.Meter);
            var health = await StartHealthAsync(settings, provider, exporter, cancellationToken).ConfigureAwait(false);
            LogServing(log, provider.NodeId, settings.SocketPath, attestor.Name, settings.HealthAddress, settings.HealthPort);
            return new AgentHost(loggers, provider, configured, metrics, exporter, endpoint, health);
        }
        catch
        {
            exporter?.Dispose();
            metrics?.Dispose();
            if (endpoint is not null)
            {
                await endpoint.DisposeAsync().ConfigureAwait(false);
            }

            configured?.Dispose();
            if (provider is not null)
            {
                await provider.DisposeAsync().ConfigureAwait(false);
            }

            loggers.Dispose();
            throw;
        }
    }

    /// <summary>Completes when <paramref name="cancellationToken"/> is cancelled (SIGINT/SIGTERM in <c>agent run</c>).</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<WebApplication> StartHealthAsync(AgentConfig settings, ServerIdentityProvider provider, PrometheusTextExporter exporter, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(settings.HealthAddress), settings.HealthPort));
        var app = builder.Build();
        app.MapGet("/live", () => Results.Text("ok\n"));

        // Ready: the entry stream is synced; an agent that lost the server is live (serving its cache) but not ready.
        var notReady = NotReadyReason(provider);
        app.MapGet("/ready", () => notReady() is { } reason
            ? Results.Text(reason + "\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ok\n"));
        app.MapGet("/metrics", () => Results.Text(exporter.Render(), PrometheusTextExporter.ContentType));
        await app.StartAsync(ct).ConfigureAwait(false);
        return app;
    }

    /// <summary>Why the agent is not ready (null when synced); /ready and the socket's gRPC health service say it.</summary>
    private static Func<string?> NotReadyReason(ServerIdentityProvider provider) => () => provider.Synced
        ? null
        : $"not synced with the server: {provider.LastError ?? "connecting"}";

    public async ValueTask DisposeAsync()
    {
        await _health.DisposeAsync().ConfigureAwait(false);
        _exporter.Dispose();
        _provider.ServerCallCompleted -= _metrics.ServerCall;
        _metrics.Dispose();
        await _endpoint.DisposeAsync().ConfigureAwait(false);
        _attestors.Dispose();
        await _provider.DisposeAsync().ConfigureAwait(false);
        _loggers.Dispose();
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Agent {NodeId} serving the Workload API on {Socket} (workload attestors: {Attestors}); health on {Address}:{Port}")]
    private static partial void LogServing(ILogger logger, SpiffeId nodeId, string socket, string attestors, string address, int port);
}
