using System.Net;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Authorization;
using AgentFabric.Authorization.Bundles;
using AgentFabric.PolicyServer.Api;
using AgentFabric.PolicyServer.Envoy;
using AgentFabric.PolicyServer.Security;
using AgentFabric.PolicyServer.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentFabric.PolicyServer.Hosting;

/// <summary>Builds the policy server's host: Kestrel on <see cref="PolicyServerOptions.Address"/> (HTTPS and client
/// SVIDs when configured), authentication, OPA's routes, and the runtime started and stopped with the host. The
/// Envoy ext_authz gRPC listener (<see cref="PolicyServerOptions.EnvoyAddress"/>) is added here too.</summary>
public static class PolicyServerHost
{
    /// <summary>A host ready to <c>StartAsync</c>/<c>RunAsync</c>.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent (the message names the setting).</exception>
    public static WebApplication Create(PolicyServerOptions options, TimeProvider? timeProvider = null, Action<ILoggingBuilder>? logging = null, TextWriter? console = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var time = timeProvider ?? TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder();
        if (logging is not null)
        {
            builder.Logging.ClearProviders();
            logging(builder.Logging);
        }

        // One line per request would drown the decision logs on standard output.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(sp => new PolicyServerRuntime(options, time, sp.GetRequiredService<ILoggerFactory>(), console));
        builder.Services.AddHostedService<RuntimeLifetime>();
        builder.Services.AddHostedService<EvaluatorWarmUp>();
        var envoy = options.EnvoyAddress is { } envoyAddress ? ParseAddress(envoyAddress) : default((IPAddress? Address, int Port)?);
        if (envoy is { } check)
        {
            // The Check service asks the same store the REST API serves, so both see one bundle revision at a time.
            builder.Services.AddSingleton<IPolicyDecisionPoint>(sp => new EmbeddedPolicyDecisionPoint(sp.GetRequiredService<PolicyServerRuntime>().Activator.Store, time));
            builder.Services.AddSingleton<IBundleRevisions>(sp => sp.GetRequiredService<PolicyServerRuntime>().Activator);
            if (options.DecisionLogsEnabled)
            {
                builder.Services.AddSingleton(sp => sp.GetRequiredService<PolicyServerRuntime>().DecisionLogger!);
            }

            builder.Services.AddEnvoyExtAuthz(envoyOptions =>
            {
                envoyOptions.Path = options.EnvoyPath;
                envoyOptions.Port = check.Port;
            });
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            Listen(kestrel, options);
            if (envoy is { } check)
            {
                kestrel.ListenEnvoyExtAuthz(check.Address ?? IPAddress.Loopback, check.Port);
            }
        });

        var app = builder.Build();
        var runtime = app.Services.GetRequiredService<PolicyServerRuntime>();
        var svids = options.Authentication == PolicyServerAuthentication.Tls
            ? ClientSvidValidator.Load(options.TrustDomain!, options.TrustBundleFile!, time, app.Logger)
            : null;
        var authenticator = new ApiClientAuthenticator(options, svids);
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
            {
                // A bug must still answer in OPA's shape, never an empty 500.
                await new OpaError(500, OpaError.InternalError, e.Message).WriteAsync(context.Response).ConfigureAwait(false);
            }
        });
        app.Use(authenticator.InvokeAsync);
        app.MapOpaApi(runtime);
        if (envoy is not null)
        {
            app.MapEnvoyExtAuthz();
        }

        return app;
    }

    private static void Validate(PolicyServerOptions options)
    {
        if ((options.TlsCertFile is null) != (options.TlsPrivateKeyFile is null))
        {
            throw new ArgumentException("--tls-cert-file and --tls-private-key-file must be given together", nameof(options));
        }

        if (options.Authentication == PolicyServerAuthentication.Tls && (options.TlsCertFile is null || options.TrustBundleFile is null || options.TrustDomain is null))
        {
            throw new ArgumentException("--authentication=tls needs --tls-cert-file, --tls-private-key-file, --tls-ca-cert-file and --trust-domain", nameof(options));
        }

        if (options.Authentication == PolicyServerAuthentication.Token && options.Tokens.Count + options.AdminTokens.Count == 0)
        {
            throw new ArgumentException("--authentication=token needs at least one reader or admin token (--token-file, --admin-token-file)", nameof(options));
        }

        _ = ParseAddress(options.Address);
        if (options.EnvoyAddress is { } envoyAddress)
        {
            _ = ParseAddress(envoyAddress);
        }
    }

    /// <summary>OPA's <c>--addr</c>: <c>host:port</c>, <c>:port</c> (every interface) or <c>localhost:port</c>.</summary>
    internal static (IPAddress? Address, int Port) ParseAddress(string address)
    {
        var colon = address.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(address.AsSpan(colon + 1), out var port) || port is < 0 or > 65535)
        {
            throw new ArgumentException($"invalid address '{address}': want host:port", nameof(address));
        }

        var host = address[..colon].Trim('[', ']');
        if (host.Length == 0 || host == "0.0.0.0")
        {
            return (IPAddress.Any, port);
        }

        if (host == "localhost")
        {
            return (null, port);
        }

        return IPAddress.TryParse(host, out var ip) ? (ip, port) : throw new ArgumentException($"invalid address '{address}': the host must be an IP address or localhost", nameof(address));
    }

    private static void Listen(KestrelServerOptions kestrel, PolicyServerOptions options)
    {
        var (ip, port) = ParseAddress(options.Address);
        Action<ListenOptions> configure = listen =>
        {
            // HTTP/2 needs TLS's protocol negotiation here; plain-text clients (OPA's SDKs) speak HTTP/1.1.
            listen.Protocols = options.TlsCertFile is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
            if (options.TlsCertFile is { } cert)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = X509Certificate2.CreateFromPemFile(cert, options.TlsPrivateKeyFile),

                    // The SVID is validated against the SPIFFE trust bundle per request (ClientSvidValidator), not
                    // against the system store; a missing or invalid one is OPA's 401.
                    ClientCertificateMode = options.Authentication == PolicyServerAuthentication.Tls ? ClientCertificateMode.AllowCertificate : ClientCertificateMode.NoCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            }
        };
        if (ip is null)
        {
            kestrel.ListenLocalhost(port, configure);
        }
        else
        {
            kestrel.Listen(ip, port, configure);
        }
    }

    private sealed class RuntimeLifetime(PolicyServerRuntime runtime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => runtime.StartAsync(cancellationToken);

        public async Task StopAsync(CancellationToken cancellationToken) => await runtime.DisposeAsync().ConfigureAwait(false);
    }
}
