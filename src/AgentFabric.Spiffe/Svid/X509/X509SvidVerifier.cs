using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe.Bundles.X509;

namespace AgentFabric.Spiffe.Svid.X509;

/// <summary>
/// Verifies a peer's X.509-SVID (X509-SVID §5): the leaf rules, then RFC 5280 path validation against the authorities
/// of the leaf's own trust domain only — no system store, no revocation, no downloads, time from the injected clock.
/// </summary>
public static class X509SvidVerifier
{
    private const string CannotVerify = "x509svid: could not verify leaf certificate: ";

    /// <summary>Verifies <paramref name="chain"/> (leaf first, then any intermediates the peer sent).</summary>
    /// <exception cref="X509SvidException">The SVID is invalid or not trusted; the message names the reason.</exception>
    public static X509SvidVerificationResult Verify(
        IReadOnlyList<X509Certificate2> chain,
        IX509BundleSource bundleSource,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(bundleSource);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (chain.Count == 0)
        {
            throw new X509SvidException("x509svid: empty certificate chain");
        }

        var leaf = chain[0];

        // X509-SVID §5.2: one URI SAN holding a SPIFFE ID with a non-root path; cA false; no keyCertSign/cRLSign.
        string? error = X509SvidRules.ValidateLeaf(leaf, out var id);
        if (error is not null)
        {
            throw new X509SvidException(error);
        }

        // Bundle §3: validate with the bundle of the SVID's own trust domain.
        X509Bundle bundle;
        try
        {
            bundle = bundleSource.GetX509BundleForTrustDomain(id.TrustDomain);
        }
        catch (X509BundleException ex)
        {
            throw new X509SvidException("x509svid: could not get X.509 bundle: " + ex.Message, ex);
        }

        var authorities = bundle.Authorities;
        if (authorities.Count == 0)
        {
            throw new X509SvidException($"x509svid: X.509 bundle for trust domain \"{id.TrustDomain}\" is empty");
        }

        var now = timeProvider.GetUtcNow();

        // RFC 5280 §6.1.3 (a)(2): the leaf's validity period; reported before path building for a precise error.
        // A caller's certificate object decodes its dates lazily and throws from the getters when they are corrupt.
        DateTime notBefore, notAfter;
        try
        {
            notBefore = leaf.NotBefore.ToUniversalTime();
            notAfter = leaf.NotAfter.ToUniversalTime();
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new X509SvidException("x509svid: leaf certificate has malformed validity dates", ex);
        }

        if (now.UtcDateTime > notAfter)
        {
            throw new X509SvidException("x509svid: leaf certificate has expired");
        }

        if (now.UtcDateTime < notBefore)
        {
            throw new X509SvidException("x509svid: leaf certificate is not yet valid");
        }

        var verified = BuildChain(chain, authorities, now);
        return new X509SvidVerificationResult(id, [verified]);
    }

    /// <summary>Verifies concatenated DER certificates as received on the wire.</summary>
    /// <exception cref="X509SvidException">The data cannot be read, or the SVID is invalid or not trusted.</exception>
    public static X509SvidVerificationResult ParseAndVerify(
        ReadOnlySpan<byte> certificatesDer,
        IX509BundleSource bundleSource,
        TimeProvider timeProvider)
    {
        if (!CertificateEncoding.TryReadDerCertificates(certificatesDer, out var certificates, out var reason))
        {
            throw new X509SvidException("x509svid: cannot parse certificates: " + reason);
        }

        return Verify(certificates, bundleSource, timeProvider);
    }

    // X509-SVID §5.1: standard RFC 5280 path validation, anchored only in the trust domain's bundle.
    private static X509Certificate2[] BuildChain(
        IReadOnlyList<X509Certificate2> presented,
        IReadOnlyList<X509Certificate2> authorities,
        DateTimeOffset now)
    {
        using var x509Chain = new X509Chain();
        var policy = x509Chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = now.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        foreach (var authority in authorities)
        {
            policy.CustomTrustStore.Add(authority);
        }

        for (int i = 1; i < presented.Count; i++)
        {
            policy.ExtraStore.Add(presented[i]);
        }

        bool built;
        try
        {
            built = x509Chain.Build(presented[0]);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            // A certificate the platform cannot process at all (e.g. a public key on an unknown curve).
            throw new X509SvidException(CannotVerify + ex.Message, ex);
        }

        var elements = new X509Certificate2[x509Chain.ChainElements.Count];
        for (int i = 0; i < elements.Length; i++)
        {
            // Hand back the caller's own certificate objects: the chain's copies die with the chain.
            var element = x509Chain.ChainElements[i].Certificate;
            elements[i] = Find(presented, element) ?? Find(authorities, element)
                ?? X509CertificateLoader.LoadCertificate(element.RawData);
        }

        if (!built)
        {
            throw new X509SvidException(CannotVerify + Describe(x509Chain, elements));
        }

        // X509-SVID §3.2, §4.1, §4.3: every certificate above the leaf is a signing certificate.
        for (int i = 1; i < elements.Length; i++)
        {
            string? error = X509SvidRules.ValidateSigningCertificate(elements[i]);
            if (error is not null)
            {
                throw new X509SvidException(error);
            }
        }

        return elements;
    }

    private static X509Certificate2? Find(IReadOnlyList<X509Certificate2> certificates, X509Certificate2 wanted)
    {
        foreach (var certificate in certificates)
        {
            if (certificate.RawDataMemory.Span.SequenceEqual(wanted.RawDataMemory.Span))
            {
                return certificate;
            }
        }

        return null;
    }

    private static string Describe(X509Chain chain, X509Certificate2[] elements)
    {
        var flags = X509ChainStatusFlags.NoError;
        foreach (var status in chain.ChainStatus)
        {
            flags |= status.Status;
        }

        if ((flags & X509ChainStatusFlags.InvalidBasicConstraints) != 0)
        {
            return "signing certificate is not a CA";
        }

        // X509-SVID §4.2: URI name constraints of a signing certificate bound the IDs below it.
        if ((flags & (X509ChainStatusFlags.HasNotPermittedNameConstraint | X509ChainStatusFlags.HasExcludedNameConstraint)) != 0)
        {
            return "certificate violates a name constraint of a signing certificate";
        }

        if ((flags & X509ChainStatusFlags.NotValidForUsage) != 0)
        {
            return "signing certificate is not valid for signing certificates";
        }

        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
        {
            return "a signing certificate is outside its validity period";
        }

        if ((flags & X509ChainStatusFlags.HasNotSupportedCriticalExtension) != 0)
        {
            return "certificate has an unsupported critical extension";
        }

        // A same-named but different authority shows up as a bad signature: either way no trusted authority signed it.
        if ((flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain |
                      X509ChainStatusFlags.NotSignatureValid)) != 0)
        {
            return "certificate signed by unknown authority";
        }

        var details = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
        return $"chain of {elements.Length} certificate(s) rejected: {details}";
    }
}
