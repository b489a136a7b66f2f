using System.Net;
using AgentFabric.AspNetCore;
using AgentFabric.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ResearchAgents.Hosting.Trail;

namespace ResearchAgents.Hosting;

/// <summary>The SDK calls every research agent makes, from <see cref="AgentSettings"/>.</summary>
public static class ResearchAgentHostingExtensions
{
    /// <summary>
    /// Makes the app a SPIFFE workload of the fabric: mTLS on its <c>urls</c> endpoint (unless
    /// <see cref="ResearchAgentOptions.ServeMtls"/> is off), identity from the Workload API, exchanged tokens verified
    /// against the edge (<c>AGENTFABRIC_EDGE_URL</c>), and decisions by the policy server at
    /// <c>AGENTFABRIC_POLICY_URL</c> (unless a policy decision point is registered already), each decision recorded
    /// for the trail, the decision point asked once at start (<see cref="PolicyWarmUp"/>). Registers <see cref="AgentSettings"/>.
    /// </summary>
    /// <exception cref="AgentSettingsException">A setting is missing or malformed.</exception>
    public static AgentSettings AddResearchAgent(this WebApplicationBuilder builder, ResearchAgentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= new ResearchAgentOptions();
        var settings = AgentSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        if (options.ServeMtls)
        {
            builder.WebHost.UseSpiffeMtls(ListenEndpoint(settings));
        }

        builder.Services.AddSpiffeWorkload(o =>
        {
            o.EdgeIssuer = settings.EdgeUrl;
            options.Workload?.Invoke(o);
        });
        if (!builder.Services.Any(d => d.ServiceType == typeof(IPolicyDecisionPoint)))
        {
            builder.Services.AddPolicyDecisionPoint(o =>
            {
                o.Mode = PolicyDecisionPointMode.Remote;
                o.RemoteAddress = settings.PolicyUrl;
            });
        }

        RecordDecisions(builder.Services);
        builder.Services.AddHostedService<PolicyWarmUp>();
        return settings;
    }

    /// <summary>The IP endpoint of the <c>urls</c> setting: an IP address or <c>localhost</c> (loopback), with a port.</summary>
    /// <exception cref="AgentSettingsException">No <c>urls</c>, or not an IP address and port.</exception>
    public static IPEndPoint ListenEndpoint(AgentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var url = settings.ListenUrl ?? throw new AgentSettingsException("ASPNETCORE_URLS is not set: an agent needs https://<ip>:<port> to serve mTLS on");
        if (url.Scheme != Uri.UriSchemeHttps || url.IsDefaultPort && !url.OriginalString.Contains(":443", StringComparison.Ordinal))
        {
            throw new AgentSettingsException($"ASPNETCORE_URLS: \"{url}\" must be https://<ip>:<port> (the agent serves mutual TLS)");
        }

        var address = url.IsLoopback && !IPAddress.TryParse(url.Host.Trim('[', ']'), out _) ? IPAddress.Loopback
            : IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) ? ip
            : throw new AgentSettingsException($"ASPNETCORE_URLS: \"{url.Host}\" is not an IP address or localhost");
        return new IPEndPoint(address, url.Port);
    }

    // The registered decision point, wrapped so each decision is also kept on the request it was made for.
    private static void RecordDecisions(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IPolicyDecisionPoint));
        services.Remove(original);
        services.AddHttpContextAccessor();
        services.AddSingleton<IPolicyDecisionPoint>(sp => new RecordingPolicyDecisionPoint(Resolve(original, sp), sp.GetRequiredService<IHttpContextAccessor>()));
    }

    private static IPolicyDecisionPoint Resolve(ServiceDescriptor descriptor, IServiceProvider services) =>
        descriptor.ImplementationInstance as IPolicyDecisionPoint
        ?? descriptor.ImplementationFactory?.Invoke(services) as IPolicyDecisionPoint
        ?? (IPolicyDecisionPoint)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
}
