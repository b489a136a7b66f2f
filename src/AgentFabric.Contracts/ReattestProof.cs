using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AgentFabric.Contracts;

/// <summary>
/// The proof an agent sends to re-attest with its last node SVID (agent.proto, ReattestAgentRequest): a signature by
/// that SVID's key over <c>"agentfabric-reattest-v1" 0x00 || signed_at (int64, big-endian) || csr</c>. The prefix
/// keeps the signature from meaning anything anywhere else; the time bounds replay; the CSR binds the new key.
/// Part of the wire contract: the agent signs with it, the server verifies with it.
/// </summary>
public static class ReattestProof
{
    private static readonly byte[] s_context = Encoding.ASCII.GetBytes("agentfabric-reattest-v1\0");

    /// <summary>The bytes the agent signs.</summary>
    public static byte[] SigningInput(long signedAt, ReadOnlySpan<byte> csr)
    {
        var input = new byte[s_context.Length + sizeof(long) + csr.Length];
        s_context.CopyTo(input, 0);
        BinaryPrimitives.WriteInt64BigEndian(input.AsSpan(s_context.Length), signedAt);
        csr.CopyTo(input.AsSpan(s_context.Length + sizeof(long)));
        return input;
    }

    /// <summary>Signs with the node SVID's key (ECDSA: SHA-256, DER signature; RSA: SHA-256, PKCS#1 v1.5).</summary>
    public static byte[] Sign(AsymmetricAlgorithm key, long signedAt, ReadOnlySpan<byte> csr) => key switch
    {
        ECDsa ec => ec.SignData(SigningInput(signedAt, csr), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence),
        RSA rsa => rsa.SignData(SigningInput(signedAt, csr), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentException($"unsupported key type {key?.GetType().Name}", nameof(key)),
    };

    /// <summary>Whether <paramref name="signature"/> verifies with the public key of <paramref name="leaf"/>.</summary>
    public static bool Verify(X509Certificate2 leaf, long signedAt, ReadOnlySpan<byte> csr, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        var input = SigningInput(signedAt, csr);
        try
        {
            using var ec = leaf.GetECDsaPublicKey();
            if (ec is not null)
            {
                return ec.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            }

            using var rsa = leaf.GetRSAPublicKey();
            return rsa is not null && rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (Exception e) when (e is CryptographicException or System.Formats.Asn1.AsnContentException)
        {
            // GetECDsaPublicKey decodes the key usage extension lazily and throws AsnContentException when it is corrupt.
            // A malformed signature or key is a signature that does not verify.
            return false;
        }
    }
}
