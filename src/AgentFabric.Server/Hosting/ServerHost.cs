using System.Net.Security;
using System.Security.Authentication;
using AgentFabric.Server.Api;
using AgentFabric.Server.Attestation;
using AgentFabric.Server.Config;
using AgentFabric.Server.Federation;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Server.Hosting;

/// <summary>
/// The thin network layer: Kestrel with the Agent API (gRPC over TLS on bind_address:bind_port), the Admin API
/// (gRPC on the Unix socket, mode 0770 in a 0700 directory when we create it), /live /ready /metrics (HTTP on the
/// health port) and the federation bundle endpoint. Each listener serves only its own routes.
/// </summary>
public sealed partial class ServerHost : IAsyncDisposable
{
    private const string ListenerKey = "agentfabric.listener";
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];

    private ServerHost(WebApplication app, ServerRuntime runtime)
    {
        _app = app;
        Runtime = runtime;
    }

    public ServerRuntime Runtime { get; }

    public static async Task<ServerHost> StartAsync(
        ServerSettings settings, Action<ILoggingBuilder>? logging = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            logging(builder.Logging);
        }
        else
        {
            builder.Logging.AddJsonConsole();
            builder.Logging.SetMinimumLevel(settings.LogLevel switch
            {
                "DEBUG" => LogLevel.Debug,
                "WARN" => LogLevel.Warning,
                "ERROR" => LogLevel.Error,
                _ => LogLevel.Information,
            });
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        using var bootLoggers = LoggerFactory.Create(b => logging?.Invoke(b));
        var runtime = await ServerRuntime.StartAsync(settings, bootLoggers, time, cancellationToken).ConfigureAwait(false);
        try
        {
            var limits = new AgentApiLimits(
                new PerCallerRateLimiter(settings.AttestationRateLimit, time),
                new PerCallerRateLimiter(settings.SigningRateLimit, time));
            builder.Services.AddGrpc();
            builder.Services.AddSingleton(runtime.Registration);
            builder.Services.AddSingleton(runtime.Bundles);
            builder.Services.AddSingleton(runtime.Metrics);
            builder.Services.AddSingleton(runtime.Authority);
            builder.Services.AddSingleton(runtime.Relationships);
            builder.Services.AddSingleton(runtime.Refresher);
            builder.Services.AddSingleton(runtime.AdminMinter);
            builder.Services.AddSingleton(limits);
            builder.Services.AddSingleton(time);
            PrepareSocket(settings.SocketPath);
            builder.WebHost.ConfigureKestrel(k => ConfigureListeners(k, runtime));

            var app = builder.Build();
            app.Use((context, next) => OnlyOwnRoutes(context, next, runtime));
            app.MapGrpcService<AdminApi>();
            app.MapGrpcService<AgentApi>();
            app.MapGet("/live", () => Results.Text("ok\n"));
            app.MapGet("/ready", async (CancellationToken ct) =>
                await runtime.IsReadyAsync(ct).ConfigureAwait(false) ? Results.Text("ready\n") : Results.Text("not ready\n", statusCode: 503));
            app.MapGet("/metrics", () => Results.Text(runtime.Exporter.Render(), Contracts.Telemetry.PrometheusTextExporter.ContentType));
            app.MapGet("/", async (CancellationToken ct) =>
            {
                var own = await runtime.Bundles.GetOwnAsync(ct).ConfigureAwait(false);
                var bundle = StoredBundleFormat.ToSpiffeBundle(
                    runtime.Bundles.TrustDomain, BundleService.ParsePem(own.X509AuthoritiesPem), own.JwtAuthoritiesJson, own.RefreshHintSeconds, own.SequenceNumber);
                return Results.Bytes(bundle.Marshal(indented: true), "application/json");
            });

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows())
            {
                // Group members may use the Admin API; others may not even connect.
                File.SetUnixFileMode(settings.SocketPath,
                    UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                    UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);
            }

            var host = new ServerHost(app, runtime);
            host.StartLoops(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AgentFabric.Server"));
            return host;
        }
        catch
        {
            await runtime.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    private static void PrepareSocket(string socketPath)
    {
        SocketDirectory.Prepare(socketPath);

        // A socket file left by a server that died would make the bind fail.
        if (File.Exists(socketPath))
        {
            File.Delete(socketPath);
        }
    }

    private static void ConfigureListeners(KestrelServerOptions k, ServerRuntime runtime)
    {
        var settings = runtime.Settings;
        var ownBundle = new X509BundleSourceFromCa(runtime.Ca);
        k.Listen(settings.BindAddress, settings.BindPort, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => ValueTask.FromResult(AgentTlsOptions(runtime, ownBundle)),
            });
            Tag(listen, "agent");
        });
        k.ListenUnixSocket(settings.SocketPath, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            Tag(listen, "admin");
        });
        if (settings.HealthListenerEnabled)
        {
            k.Listen(settings.HealthBindAddress, settings.HealthBindPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                Tag(listen, "health");
            });
        }

        if (settings.BundleEndpoint is { } endpoint)
        {
            var web = endpoint.Profile == BundleEndpointProfile.HttpsWeb
                ? System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(endpoint.ServingCertFile!, endpoint.ServingKeyFile)
                : null;
            k.Listen(endpoint.Address, endpoint.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ => ValueTask.FromResult(web is null
                        ? SpiffeTls.CreateTlsServerOptions(runtime.ServerSvid)
                        : new SslServerAuthenticationOptions { ServerCertificate = web, EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 }),
                });
                Tag(listen, "federation");
            });
        }
    }

    // Client certificates are optional at the handshake (AttestAgent has none yet) but, when present, must be an
    // SVID of our trust domain that verifies against our bundle; the API then checks it is a live node's SVID.
    private static SslServerAuthenticationOptions AgentTlsOptions(ServerRuntime runtime, X509BundleSourceFromCa bundle)
    {
        var options = SpiffeTls.CreateMtlsServerOptions(runtime.ServerSvid, bundle, SpiffeAuthorizer.MemberOf(runtime.Settings.TrustDomain), runtime.Time);
        var verify = options.RemoteCertificateValidationCallback!;
        options.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            certificate is null || verify(sender, certificate, chain, errors);
        options.ApplicationProtocols = [SslApplicationProtocol.Http2];
        return options;
    }

    private static void Tag(ListenOptions listen, string name) =>
        listen.Use(next => connection =>
        {
            connection.Items[ListenerKey] = name;
            return next(connection);
        });

    private static Task OnlyOwnRoutes(HttpContext context, RequestDelegate next, ServerRuntime runtime)
    {
        var listener = context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ListenerKey, out var v) == true ? v as string : null;
        var path = context.Request.Path.Value ?? string.Empty;
        var allowed = listener switch
        {
            "admin" => path.StartsWith("/agentfabric.server.v1.AdminService/", StringComparison.Ordinal),
            "agent" => path.StartsWith("/agentfabric.server.v1.AgentService/", StringComparison.Ordinal),
            "health" => path is "/live" or "/ready" or "/metrics",
            "federation" => path == "/",
            _ => false,
        };
        if (allowed)
        {
            return next(context);
        }

        // SPIRE: an SVID of an admin entry (or of admin_ids) may call the Admin API over mutual TLS too.
        if (listener == "agent" && path.StartsWith("/agentfabric.server.v1.AdminService/", StringComparison.Ordinal))
        {
            return AdminOverTls(context, next, runtime);
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static Task AdminOverTls(HttpContext context, RequestDelegate next, ServerRuntime runtime)
    {
        var certificate = context.Connection.ClientCertificate;
        string? id = null;
        if (certificate is not null && AgentFabric.Spiffe.Svid.X509.X509Svid.IdFromCertificate(certificate) is var spiffeId)
        {
            id = spiffeId.ToString();
            if (runtime.Settings.AdminIds.Contains(spiffeId) || runtime.Registration.Cache.IsAdmin(spiffeId, runtime.Time.GetUtcNow().ToUnixTimeSeconds()))
            {
                return next(context);
            }
        }

        // A trailers-only gRPC response: the client sees PermissionDenied with this text.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = "7";
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(id is null
            ? "admin: the Admin API over TLS needs an admin SVID"
            : $"admin: \"{id}\" is not an admin (no admin entry, not in admin_ids)");
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                await Task.WhenAll(_loops).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await _app.DisposeAsync().ConfigureAwait(false);
            await Runtime.DisposeAsync().ConfigureAwait(false);
            _stopping.Dispose();
        }
    }
}
