using System.Net;
using AgentFabric.Authorization;
using AgentFabric.Authorization.Bundles;
using AgentFabric.Authorization.DecisionLogs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentFabric.PolicyServer.Envoy;

/// <summary>Adds Envoy's ext_authz <c>Check</c> service to an ASP.NET Core host.</summary>
public static class EnvoyExtAuthzExtensions
{
    /// <summary>Registers the Check service and its options; it asks the registered <see cref="IPolicyDecisionPoint"/>
    /// (and logs through a registered <see cref="DecisionLogger"/>). Bad options throw <see cref="ArgumentException"/>.</summary>
    public static IServiceCollection AddEnvoyExtAuthz(this IServiceCollection services, Action<EnvoyExtAuthzOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new EnvoyExtAuthzOptions();
        configure?.Invoke(options);
        options.Validate();
        services.AddGrpc();
        services.AddSingleton(options);
        services.TryAddSingleton(sp =>
        {
            var pdp = sp.GetRequiredService<IPolicyDecisionPoint>();
            var logger = sp.GetService<DecisionLogger>();
            return new EnvoyExtAuthzDecisionPoint(logger is null || pdp is DecisionLoggingPolicyDecisionPoint
                ? pdp
                : new DecisionLoggingPolicyDecisionPoint(pdp, logger, sp.GetService<IBundleRevisions>(), sp.GetService<TimeProvider>()));
        });
        return services;
    }

    /// <summary>Maps <c>envoy.service.auth.v3.Authorization</c>; with <see cref="EnvoyExtAuthzOptions.Port"/> set, only
    /// on that port.</summary>
    public static GrpcServiceEndpointConventionBuilder MapEnvoyExtAuthz(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<EnvoyExtAuthzOptions>();
        var builder = endpoints.MapGrpcService<EnvoyAuthorizationService>();
        if (options.Port is int port)
        {
            builder.RequireHost($"*:{port}");
        }

        return builder;
    }

    /// <summary>Opens the Check service's own Kestrel endpoint: cleartext HTTP/2 (h2c), as Envoy's gRPC client speaks it
    /// to a local ext_authz server.</summary>
    public static KestrelServerOptions ListenEnvoyExtAuthz(this KestrelServerOptions kestrel, IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(address);
        kestrel.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http2);
        return kestrel;
    }
}
