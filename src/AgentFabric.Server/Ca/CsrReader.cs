using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Server.Ca;

/// <summary>
/// Reads a PKCS#10 CSR and checks its self-signature (proof that the caller holds the key). Only the public key is
/// used: the SPIFFE ID and DNS names come from the registration entry, never from the CSR's subject or extensions.
/// </summary>
public static class CsrReader
{
    public static PublicKey ReadPublicKey(ReadOnlySpan<byte> csrDer)
    {
        if (csrDer.IsEmpty)
        {
            throw new CaException("ca: CSR is empty");
        }

        CertificateRequest request;
        try
        {
            // Default load options verify the CSR signature (RFC 2986 §3).
            request = CertificateRequest.LoadSigningRequest(
                csrDer, HashAlgorithmName.SHA256, out var consumed, CertificateRequestLoadOptions.Default);
            if (consumed != csrDer.Length)
            {
                throw new CaException("ca: CSR has trailing data");
            }
        }
        catch (CryptographicException e)
        {
            throw new CaException($"ca: CSR is malformed or its signature does not verify: {e.Message}", e);
        }

        var key = request.PublicKey;
        if (key.Oid.Value is not ("1.2.840.10045.2.1" or "1.2.840.113549.1.1.1"))
        {
            throw new CaException($"ca: CSR key algorithm {key.Oid.Value} is not supported (EC or RSA)");
        }

        return key;
    }
}
