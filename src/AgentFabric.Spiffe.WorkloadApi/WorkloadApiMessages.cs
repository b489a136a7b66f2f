using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.WorkloadApi.Proto;
using Google.Protobuf;
using Google.Protobuf.Collections;

namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>
/// Turns Workload API messages into SDK types. A message whose mandatory field has its default value is rejected as a
/// whole (Workload API §4.5: report an error and discard the message), so a half-valid update never replaces a good one.
/// </summary>
internal static class WorkloadApiMessages
{
    public static X509Context ToX509Context(X509SVIDResponse response, ParsedCache? cache = null)
    {
        // Workload API §5.2.1: svids is mandatory and holds one or more SVIDs.
        if (response.Svids.Count == 0)
        {
            throw new WorkloadApiException("workloadapi: X509SVIDResponse has no SVIDs");
        }

        var svids = new List<X509Svid>(response.Svids.Count);
        var hints = new HashSet<string>(StringComparer.Ordinal);
        var bundles = new X509BundleSet();
        for (int i = 0; i < response.Svids.Count; i++)
        {
            var message = response.Svids[i];
            var svid = ToX509Svid(message, i, cache);

            // Workload API §5.2.1: with duplicate hints the first SVID is selected; later ones are dropped.
            if (svid.Hint is not null && !hints.Add(svid.Hint))
            {
                continue;
            }

            svids.Add(svid);
            var trustDomain = svid.Id.TrustDomain;
            if (!bundles.Contains(trustDomain))
            {
                bundles.Add(ToX509Bundle(trustDomain, message.Bundle, $"bundle of SVID {i}", cache));
            }
        }

        // Workload API §4.6: federated bundles sit next to the own trust domain's, keyed by their trust domain.
        AddBundles(bundles, response.FederatedBundles, "federated bundle", replace: false, cache);
        return new X509Context(svids, bundles);
    }

    public static X509BundleSet ToX509Bundles(X509BundlesResponse response, ParsedCache? cache = null)
    {
        // Workload API §5.2.2: bundles is mandatory.
        if (response.Bundles.Count == 0)
        {
            throw new WorkloadApiException("workloadapi: X509BundlesResponse has no bundles");
        }

        var set = new X509BundleSet();
        AddBundles(set, response.Bundles, "bundle", replace: true, cache);
        return set;
    }

    public static JwtBundleSet ToJwtBundles(JWTBundlesResponse response)
    {
        // Workload API §6.2.2: bundles is mandatory.
        if (response.Bundles.Count == 0)
        {
            throw new WorkloadApiException("workloadapi: JWTBundlesResponse has no bundles");
        }

        var bundles = new List<JwtBundle>(response.Bundles.Count);
        foreach (var (key, jwks) in response.Bundles)
        {
            var trustDomain = ParseTrustDomainKey(key, "JWT bundle");
            try
            {
                bundles.Add(JwtBundle.Parse(trustDomain, jwks.Span));
            }
            catch (JwtBundleException ex)
            {
                throw new WorkloadApiException($"workloadapi: JWT bundle of \"{key}\" is invalid: {ex.Message}", ex);
            }
        }

        return new JwtBundleSet(bundles);
    }

    public static IReadOnlyList<JwtSvid> ToJwtSvids(JWTSVIDResponse response, IReadOnlyList<string> audience)
    {
        // Workload API §6.2.1: svids is mandatory and holds one or more JWT-SVIDs.
        if (response.Svids.Count == 0)
        {
            throw new WorkloadApiException("workloadapi: JWTSVIDResponse has no SVIDs");
        }

        var svids = new List<JwtSvid>(response.Svids.Count);
        var hints = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < response.Svids.Count; i++)
        {
            var message = response.Svids[i];
            if (message.SpiffeId.Length == 0 || message.Svid.Length == 0)
            {
                throw new WorkloadApiException($"workloadapi: JWT-SVID {i} is missing its spiffe_id or svid");
            }

            if (message.Hint.Length > 0 && !hints.Add(message.Hint))
            {
                continue;
            }

            JwtSvid svid;
            try
            {
                // The endpoint is the issuer and vouches for the token; the claims are checked, the signature is not.
                svid = JwtSvid.ParseInsecure(message.Svid, audience);
            }
            catch (JwtSvidException ex)
            {
                throw new WorkloadApiException($"workloadapi: JWT-SVID {i} is invalid: {ex.Message}", ex);
            }

            if (svid.Id.ToString() != message.SpiffeId)
            {
                throw new WorkloadApiException(
                    $"workloadapi: JWT-SVID {i} has subject \"{svid.Id}\" but the response says \"{message.SpiffeId}\"");
            }

            svids.Add(message.Hint.Length > 0 ? svid.WithHint(message.Hint) : svid);
        }

        return svids;
    }

    private static X509Svid ToX509Svid(X509SVID message, int index, ParsedCache? cache)
    {
        // Workload API §5.2.1: every field but hint is mandatory.
        string? missing = message.SpiffeId.Length == 0 ? "spiffe_id"
            : message.X509Svid.IsEmpty ? "x509_svid"
            : message.X509SvidKey.IsEmpty ? "x509_svid_key"
            : message.Bundle.IsEmpty ? "bundle"
            : null;
        if (missing is not null)
        {
            throw new WorkloadApiException($"workloadapi: X.509-SVID {index} has an empty {missing}");
        }

        if (!(cache is null
                ? X509Svid.TryParseRaw(message.X509Svid.Span, message.X509SvidKey.Span, out var svid, out var error)
                : cache.TryGetSvid(message.X509Svid, message.X509SvidKey, out svid, out error)))
        {
            throw new WorkloadApiException($"workloadapi: X.509-SVID {index} is invalid: {error}");
        }

        if (svid.Id.ToString() != message.SpiffeId)
        {
            throw new WorkloadApiException(
                $"workloadapi: X.509-SVID {index} carries \"{svid.Id}\" but the response says \"{message.SpiffeId}\"");
        }

        return message.Hint.Length > 0 ? svid.WithHint(message.Hint) : svid;
    }

    private static void AddBundles(X509BundleSet set, MapField<string, ByteString> map, string what, bool replace, ParsedCache? cache)
    {
        foreach (var (key, der) in map)
        {
            var trustDomain = ParseTrustDomainKey(key, what);
            if (!replace && set.Contains(trustDomain))
            {
                // The SVID's own bundle wins over a federated entry of the same trust domain.
                continue;
            }

            set.Add(ToX509Bundle(trustDomain, der, $"{what} of \"{key}\"", cache));
        }
    }

    private static X509Bundle ToX509Bundle(TrustDomain trustDomain, ByteString der, string what, ParsedCache? cache)
    {
        if (!(cache is null
                ? X509Bundle.TryFromDer(trustDomain, der.Span, out var bundle, out var error)
                : cache.TryGetBundle(trustDomain, der, out bundle, out error)))
        {
            throw new WorkloadApiException($"workloadapi: {what} is invalid: {error}");
        }

        return bundle;
    }

    private static TrustDomain ParseTrustDomainKey(string key, string what)
    {
        // Bundle maps are keyed by the trust domain's SPIFFE ID (Workload API §5.1, §6.1).
        if (!key.StartsWith("spiffe://", StringComparison.Ordinal) ||
            !TrustDomain.TryParse(key, out var trustDomain, out var error))
        {
            throw new WorkloadApiException($"workloadapi: {what} key \"{key}\" is not a trust domain SPIFFE ID");
        }

        _ = error;
        return trustDomain;
    }
}
