using Microsoft.Extensions.Options;

namespace AgentFabric.AspNetCore;

/// <summary>Fills the edge from <see cref="SpiffeWorkloadOptions"/> when the scheme names none, and rejects settings
/// that cannot work.</summary>
internal sealed class SpiffeAuthenticationPostConfigureOptions(SpiffeWorkloadOptions? workload = null) : IPostConfigureOptions<SpiffeAuthenticationOptions>
{
    public void PostConfigure(string? name, SpiffeAuthenticationOptions options)
    {
        options.EdgeIssuer ??= workload?.EdgeIssuer;
        if (options.EdgeIssuer is { } issuer && (!issuer.IsAbsoluteUri || (issuer.Scheme != Uri.UriSchemeHttps && issuer.Scheme != Uri.UriSchemeHttp)))
        {
            throw new InvalidOperationException($"agentfabric: the edge issuer \"{issuer}\" must be an absolute http(s) URL");
        }

        if (options.ClockSkew < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"agentfabric: the clock skew must not be negative, not {options.ClockSkew}");
        }

        if (options.MetadataRefresh <= TimeSpan.Zero || options.MetadataMinimumRefresh <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("agentfabric: the edge metadata refresh intervals must be positive");
        }
    }
}
