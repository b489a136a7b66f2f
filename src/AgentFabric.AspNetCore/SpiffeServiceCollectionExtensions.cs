using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace AgentFabric.AspNetCore;

/// <summary>The second of the two calls: the workload's identity, authentication and authorization.</summary>
public static class SpiffeServiceCollectionExtensions
{
    /// <summary>
    /// Makes the service a SPIFFE workload: its identity sources (the Workload API by default, started with the
    /// host), the SPIFFE authentication scheme as the default scheme, the SPIFFE and Rego authorization requirements
    /// with problem-details 403s, and the <c>spiffe</c> health check (tag <c>ready</c>). Register the policy decision
    /// point with <c>services.AddPolicyDecisionPoint(...)</c> for Rego requirements, and outgoing clients with
    /// <see cref="SpiffeHttpClientServiceCollectionExtensions.AddSpiffeHttpClient(IServiceCollection, string, string, Action{SpiffeHttpClientOptions}?)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Only some of the sources are given, or a setting is out of range.</exception>
    public static IServiceCollection AddSpiffeWorkload(this IServiceCollection services, Action<SpiffeWorkloadOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new SpiffeWorkloadOptions();
        configure?.Invoke(options);
        Validate(options);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        if (options.X509SvidSource is null && options.X509BundleSource is null)
        {
            var live = new WorkloadApiSources(options.WorkloadApi);
            services.AddSingleton<IHostedService>(live);
            services.AddSingleton(new SpiffeSources(live, live, options.JwtSvidSource ?? live));
        }
        else
        {
            services.AddSingleton(new SpiffeSources(options.X509SvidSource!, options.X509BundleSource!, options.JwtSvidSource));
        }

        services.AddAuthentication(SpiffeAuthenticationDefaults.AuthenticationScheme).AddSpiffe(a => options.Authentication?.Invoke(a));
        services.AddAuthorization();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, RegoRequirementHandler>());
        services.Replace(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, SpiffeAuthorizationResultHandler>());
        services.AddHealthChecks().AddCheck<SpiffeIdentityHealthCheck>("spiffe", tags: ["ready"]);
        return services;
    }

    private static void Validate(SpiffeWorkloadOptions options)
    {
        if (options.X509SvidSource is null != options.X509BundleSource is null)
        {
            throw new ArgumentException("agentfabric: give both the X.509-SVID source and the X.509 bundle source, or neither (the Workload API)");
        }

        if (options.EdgeIssuer is { } issuer && (!issuer.IsAbsoluteUri || (issuer.Scheme != Uri.UriSchemeHttps && issuer.Scheme != Uri.UriSchemeHttp)))
        {
            throw new ArgumentException($"agentfabric: the edge issuer \"{issuer}\" must be an absolute http(s) URL");
        }

        if (options.SvidExpiryWarning < TimeSpan.Zero)
        {
            throw new ArgumentException($"agentfabric: the SVID expiry warning must not be negative, not {options.SvidExpiryWarning}");
        }
    }
}
