using AgentFabric.Authorization.Bundles;
using AgentFabric.Rego;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentFabric.Authorization;

/// <summary>Registers the policy decision point (no ASP.NET Core needed).</summary>
public static class PolicyDecisionPointServiceCollectionExtensions
{
    /// <summary>Registers <see cref="PolicyDecisionPointOptions"/> and <see cref="IPolicyDecisionPoint"/>; embedded mode
    /// also registers a <see cref="RegoEngine"/> and the <see cref="BundleActivator"/> whose store it decides with.
    /// Bad options throw <see cref="ArgumentException"/> here, at registration.</summary>
    public static IServiceCollection AddPolicyDecisionPoint(this IServiceCollection services, Action<PolicyDecisionPointOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PolicyDecisionPointOptions();
        configure(options);
        options.Validate();
        services.AddSingleton(options);
        if (options.Mode == PolicyDecisionPointMode.Embedded)
        {
            services.TryAddSingleton(_ => new RegoEngine(new RegoEngineOptions { TimeProvider = options.TimeProvider }));
            services.TryAddSingleton(sp => new BundleActivator(
                sp.GetRequiredService<RegoEngine>(),
                options.TimeProvider,
                sp.GetService<ILoggerFactory>()?.CreateLogger<BundleActivator>() ?? NullLogger<BundleActivator>.Instance));
            services.TryAddSingleton<IPolicyDecisionPoint>(sp =>
                PolicyDecisionPointFactory.Create(options, sp.GetRequiredService<BundleActivator>().Store, null));
        }
        else
        {
            services.TryAddSingleton<IPolicyDecisionPoint>(_ => PolicyDecisionPointFactory.Create(options, null, new HttpClient()));
        }

        return services;
    }
}
