using AgentFabric.Spiffe;
using Microsoft.Extensions.Configuration;

namespace ResearchAgents.Hosting;

/// <summary>
/// Where everything an agent talks to is, read from the environment <c>agentfabric up</c> gives each agent:
/// <c>AGENTFABRIC_TRUST_DOMAIN</c> (default example.org), <c>AGENTFABRIC_POLICY_URL</c>, <c>AGENTFABRIC_EDGE_URL</c>,
/// <c>AGENTFABRIC_RESEARCHER_URL</c>, <c>AGENTFABRIC_WRITER_URL</c>, <c>AGENTFABRIC_FRONTEND_CLIENT_ID</c> (default
/// research-frontend) and <c>ASPNETCORE_URLS</c> (the configuration key <c>urls</c>).
/// </summary>
public sealed record AgentSettings(
    TrustDomain TrustDomain,
    Uri PolicyUrl,
    Uri EdgeUrl,
    Uri ResearcherUrl,
    Uri WriterUrl,
    string FrontendClientId,
    Uri? ListenUrl)
{
    public const string TrustDomainKey = "AGENTFABRIC_TRUST_DOMAIN";
    public const string PolicyUrlKey = "AGENTFABRIC_POLICY_URL";
    public const string EdgeUrlKey = "AGENTFABRIC_EDGE_URL";
    public const string ResearcherUrlKey = "AGENTFABRIC_RESEARCHER_URL";
    public const string WriterUrlKey = "AGENTFABRIC_WRITER_URL";
    public const string FrontendClientIdKey = "AGENTFABRIC_FRONTEND_CLIENT_ID";
    public const string UrlsKey = "urls";

    /// <summary>The agents' SPIFFE IDs in this trust domain.</summary>
    public AgentIds Ids => new(TrustDomain);

    /// <summary>Reads and checks every setting.</summary>
    /// <exception cref="AgentSettingsException">A setting is missing or malformed (the message names it).</exception>
    public static AgentSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var td = configuration[TrustDomainKey] is { Length: > 0 } text ? text : "example.org";
        if (!TrustDomain.TryParse(td, out var trustDomain, out var error))
        {
            throw new AgentSettingsException($"{TrustDomainKey}: \"{td}\" is not a trust domain name: {error}");
        }

        var listen = configuration[UrlsKey] is { Length: > 0 } urls ? Url(UrlsKey, urls.Split(';')[0]) : null;
        return new AgentSettings(
            trustDomain,
            RequiredUrl(configuration, PolicyUrlKey),
            RequiredUrl(configuration, EdgeUrlKey),
            RequiredUrl(configuration, ResearcherUrlKey),
            RequiredUrl(configuration, WriterUrlKey),
            configuration[FrontendClientIdKey] is { Length: > 0 } id ? id : "research-frontend",
            listen);
    }

    private static Uri RequiredUrl(IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } value
            ? Url(key, value)
            : throw new AgentSettingsException($"{key} is not set (agentfabric up sets it; see samples/ResearchAgents/README.md)");

    private static Uri Url(string key, string value)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new AgentSettingsException($"{key}: \"{value}\" is not an absolute http(s) URL");
        }

        // Relative paths resolve under the base only when it ends with a slash.
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }
}
