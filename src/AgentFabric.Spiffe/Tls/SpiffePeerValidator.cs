using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.Spiffe.Tls;

/// <summary>
/// Validates a TLS peer by SPIFFE rules instead of host names: the certificates the peer sent are verified as an
/// X.509-SVID against the bundle of the peer's trust domain (X509-SVID §5), then the authorizer decides. A rejection
/// throws <see cref="SpiffeTlsException"/> with the reason.
/// </summary>
internal sealed class SpiffePeerValidator(IX509BundleSource bundles, ISpiffeAuthorizer authorizer, TimeProvider timeProvider)
{
    /// <summary>A chain policy that keeps SslStream's own chain build offline and cheap; its result is ignored.</summary>
    public static X509ChainPolicy OfflinePolicy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        return policy;
    }

    /// <summary>The <see cref="RemoteCertificateValidationCallback"/>: host-name and system-trust errors are ignored
    /// on purpose, SPIFFE verification replaces them.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var result = Verify(certificate, chain);
        var decision = authorizer.Authorize(result.Id, result.VerifiedChains);
        if (!decision.IsAllowed)
        {
            throw new SpiffeTlsException($"spiffetls: peer \"{result.Id}\" is not authorized: {decision.Reason}");
        }

        return true;
    }

    private X509SvidVerificationResult Verify(X509Certificate? certificate, X509Chain? chain)
    {
        if (certificate is null)
        {
            throw new SpiffeTlsException("spiffetls: peer presented no certificate");
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());

        // The certificates the peer sent after its leaf reach us through the chain's extra store.
        var presented = new List<X509Certificate2> { leaf };
        if (chain is not null)
        {
            foreach (var extra in chain.ChainPolicy.ExtraStore)
            {
                if (!extra.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
                {
                    presented.Add(extra);
                }
            }
        }

        try
        {
            return X509SvidVerifier.Verify(presented, bundles, timeProvider);
        }
        catch (X509SvidException ex)
        {
            throw new SpiffeTlsException("spiffetls: peer SVID rejected: " + ex.Message, ex);
        }
    }
}
