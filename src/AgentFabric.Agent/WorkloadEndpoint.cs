using AgentFabric.Agent.Attestation;
using AgentFabric.Agent.Cache;
using AgentFabric.Agent.Identity;
using AgentFabric.Agent.WorkloadApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Agent;

/// <summary>
/// The workload-facing half of the agent: Kestrel on a Unix domain socket serving the SPIFFE Workload API over
/// HTTP/2 without TLS (Workload Endpoint §3, §3.1), the SVID cache, and the loop that rotates SVIDs and pushes
/// changes to open streams.
/// </summary>
public sealed class WorkloadEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IWorkloadIdentityProvider _provider;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _rotation;

    private WorkloadEndpoint(WebApplication app, IWorkloadIdentityProvider provider, WorkloadSvidCache cache, WorkloadEndpointOptions options, TimeProvider time)
    {
        _app = app;
        _provider = provider;
        Cache = cache;
        SocketPath = options.SocketPath;
        _provider.Changed += OnProviderChanged;
        _rotation = RotateLoopAsync(options.RotationCheckInterval, time);
    }

    public string SocketPath { get; }

    /// <summary>The endpoint URI for clients (<c>SPIFFE_ENDPOINT_SOCKET</c>).</summary>
    public string Address => "unix://" + SocketPath;

    public WorkloadSvidCache Cache { get; }

    /// <summary>The last rotation failure (server unreachable...), or null; cached SVIDs keep being served.</summary>
    public Exception? LastRotationError { get; private set; }

    /// <summary>How many SVIDs the rotation loop re-issued (or dropped) since start.</summary>
    public long SvidsRotated => Interlocked.Read(ref _rotated);

    private long _rotated;

    /// <summary>Starts serving on <see cref="WorkloadEndpointOptions.SocketPath"/> (a stale socket file is replaced).</summary>
    public static async Task<WorkloadEndpoint> StartAsync(
        WorkloadEndpointOptions options,
        IWorkloadIdentityProvider provider,
        IEnumerable<IWorkloadAttestor> attestors,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(attestors);
        var time = timeProvider ?? TimeProvider.System;
        var cache = new WorkloadSvidCache(provider, options.Cache, time);
        string? directory = Path.GetDirectoryName(options.SocketPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        if (File.Exists(options.SocketPath))
        {
            File.Delete(options.SocketPath);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        // spire-agent healthcheck asks the Workload API socket's gRPC health service (no workload header needed).
        var notReady = options.NotReadyReason;
        builder.Services.AddGrpcHealthChecks().AddCheck("agent", () => notReady?.Invoke() is { } reason
            ? HealthCheckResult.Unhealthy(reason)
            : HealthCheckResult.Healthy());
        builder.Services.AddSingleton(provider);
        builder.Services.AddSingleton(cache);
        builder.Services.AddSingleton(new WorkloadCallerResolver(attestors));
        builder.Services.AddSingleton(new SharedResponses());
        builder.WebHost.ConfigureKestrel(k =>
        {
            // Every Workload API stream is a long-lived HTTP/2 stream; a client (one connection) may hold many.
            k.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
            k.ListenUnixSocket(options.SocketPath, l => l.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        app.MapGrpcService<WorkloadApiService>();
        app.MapGrpcHealthChecksService();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        // Any local process may call: who it is comes from attestation, not from file permissions.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(options.SocketPath, (UnixFileMode)0x1FF);
        }
        return new WorkloadEndpoint(app, provider, cache, options, time);
    }

    public async ValueTask DisposeAsync()
    {
        _provider.Changed -= OnProviderChanged;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _rotation.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private void OnProviderChanged(object? sender, EventArgs e) => Cache.Changes.Notify();

    private async Task RotateLoopAsync(TimeSpan interval, TimeProvider time)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            try
            {
                Interlocked.Add(ref _rotated, await Cache.RotateDueAsync(_stop.Token).ConfigureAwait(false));
                LastRotationError = null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Server unreachable: keep serving what is cached (still valid) and retry on the next tick.
                LastRotationError = ex;
            }
        }
    }
}
