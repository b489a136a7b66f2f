using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentFabric.AspNetCore;

/// <summary>Registers the SPIFFE authentication scheme.</summary>
public static class SpiffeAuthenticationExtensions
{
    /// <summary>Adds the SPIFFE scheme (<see cref="SpiffeAuthenticationDefaults.AuthenticationScheme"/>). Needs the
    /// SPIFFE sources (<see cref="SpiffeServiceCollectionExtensions.AddSpiffeWorkload"/> registers them and this scheme).</summary>
    public static AuthenticationBuilder AddSpiffe(this AuthenticationBuilder builder, Action<SpiffeAuthenticationOptions>? configure = null) =>
        builder.AddSpiffe(SpiffeAuthenticationDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the SPIFFE scheme under <paramref name="scheme"/>.</summary>
    public static AuthenticationBuilder AddSpiffe(this AuthenticationBuilder builder, string scheme, Action<SpiffeAuthenticationOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpClient(EdgeMetadata.HttpClientName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<EdgeMetadata>();
        builder.Services.TryAddSingleton<ExchangedTokenValidator>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SpiffeAuthenticationOptions>, SpiffeAuthenticationPostConfigureOptions>());
        return builder.AddScheme<SpiffeAuthenticationOptions, SpiffeAuthenticationHandler>(scheme, configure);
    }
}
