namespace AgentFabric.Edge;

/// <summary>Checks of the trust, mTLS, external-issuer and federation settings.</summary>
public sealed partial class EdgeOptions
{
    private void ValidateTrustAndFederation(List<string> errors)
    {
        if (WorkloadApiAddress is not null && TrustBundlePath is not null)
        {
            errors.Add("edge: take trust bundles from a file or from the Workload API, not both");
        }

        if (MtlsEndpoint is not null)
        {
            // RFC 8705 §5: the alias is an https URL; we serve the same paths there, so it names a host and port only.
            if (!MtlsEndpoint.IsAbsoluteUri || MtlsEndpoint.Scheme != Uri.UriSchemeHttps || MtlsEndpoint.AbsolutePath != "/"
                || !string.IsNullOrEmpty(MtlsEndpoint.Query) || !string.IsNullOrEmpty(MtlsEndpoint.Fragment))
            {
                errors.Add($"edge: the mTLS endpoint \"{MtlsEndpoint}\" must be an https URL with path / and no query or fragment");
            }
            else if (Issuer is not null && Issuer.IsAbsoluteUri && Issuer.Port == MtlsEndpoint.Port)
            {
                errors.Add($"edge: the mTLS endpoint needs a port of its own, not the issuer's {Issuer.Port}");
            }

            if (MtlsCertificatePath is null && WorkloadApiAddress is null)
            {
                errors.Add("edge: the mTLS endpoint needs a server certificate (a PEM certificate and key, or the Workload API's X.509-SVID)");
            }
        }

        foreach (var issuer in ExternalIssuers)
        {
            errors.AddRange(issuer.Validate());
        }

        if (ExternalIssuers.Where(i => i.Issuer is not null).GroupBy(i => i.Issuer!.OriginalString).Any(g => g.Count() > 1))
        {
            errors.Add("edge: an external issuer is configured twice");
        }

        foreach (var upstream in Upstreams)
        {
            errors.AddRange(upstream.Validate());
        }

        foreach (var twice in Upstreams.GroupBy(u => u.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"edge: upstream \"{twice.Key}\" is configured twice");
        }

        if (MtlsCertificatePath is null != MtlsKeyPath is null)
        {
            errors.Add("edge: the mTLS certificate and its key go together");
        }
    }
}
