using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentFabric.AspNetCore;

/// <summary>The first of the two calls: Kestrel serves SPIFFE mutual TLS.</summary>
public static class SpiffeMtlsWebHostBuilderExtensions
{
    /// <summary>Listens on all interfaces at <paramref name="port"/> with SPIFFE mTLS.</summary>
    public static IWebHostBuilder UseSpiffeMtls(this IWebHostBuilder builder, int port, Action<SpiffeMtlsOptions>? configure = null) =>
        builder.UseSpiffeMtls(new IPEndPoint(IPAddress.Any, port), configure);

    /// <summary>
    /// Listens on <paramref name="endpoint"/> with SPIFFE mTLS: TLS 1.3, the server certificate chosen per handshake
    /// from the live X.509 source (rotation without restart), client certificates required and verified by SPIFFE
    /// rules (X509-SVID §5) against the bundle, then by the authorizer. The sources come from
    /// <see cref="SpiffeServiceCollectionExtensions.AddSpiffeWorkload"/>, which must be called too.
    /// </summary>
    public static IWebHostBuilder UseSpiffeMtls(this IWebHostBuilder builder, IPEndPoint endpoint, Action<SpiffeMtlsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(endpoint);
        var options = new SpiffeMtlsOptions();
        configure?.Invoke(options);
        return builder.ConfigureKestrel(kestrel => kestrel.Listen(endpoint, listen =>
        {
            listen.Protocols = options.Protocols;
            var services = listen.ApplicationServices;
            var sources = services.GetService<SpiffeSources>()
                ?? throw new InvalidOperationException("agentfabric: UseSpiffeMtls needs the SPIFFE sources: call services.AddSpiffeWorkload(...)");
            var handshake = new SpiffeMtlsHandshake(
                sources,
                options.Authorizer,
                options.Protocols,
                services.GetService<TimeProvider>() ?? TimeProvider.System,
                services.GetRequiredService<ILoggerFactory>().CreateLogger("AgentFabric.AspNetCore.SpiffeMtls"));
            listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = handshake.OnConnectionAsync });
        }));
    }
}
