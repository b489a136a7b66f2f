using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace AgentFabric.PolicyServer.Security;

/// <summary>Validates an API client's X.509-SVID (X509-SVID §5: leaf rules, then path validation against the
/// configured trust bundle only) and gives its SPIFFE ID; the answer is kept for the connection's lifetime.</summary>
internal sealed class ClientSvidValidator(X509Bundle bundle, TimeProvider time, ILogger logger)
{
    private static readonly object CacheKey = new();

    public static ClientSvidValidator Load(string trustDomain, string bundleFile, TimeProvider time, ILogger logger) =>
        new(X509Bundle.Load(TrustDomain.Parse(trustDomain), bundleFile), time, logger);

    /// <summary>The client's SPIFFE ID, or <see langword="null"/> when it sent no certificate or an invalid one.</summary>
    public string? Authenticate(HttpContext context)
    {
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is not null && items.TryGetValue(CacheKey, out var cached))
        {
            return cached as string;
        }

        var id = Verify(context.Connection.ClientCertificate);
        if (items is not null)
        {
            items[CacheKey] = id;
        }

        return id;
    }

    private string? Verify(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return null;
        }

        try
        {
            return X509SvidVerifier.Verify([certificate], bundle, time).Id.ToString();
        }
        catch (X509SvidException e)
        {
            Hosting.PolicyServerLog.Rejected(logger, e.Message);
            return null;
        }
    }
}
