using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AgentFabric.Agent.Node;

/// <summary>
/// The agent's half of re-attestation (agent.proto, ReattestAgentRequest): a signature by the key of the node SVID
/// it still holds over <c>"agentfabric-reattest-v1" 0x00 || signed_at (int64, big-endian) || csr</c>, which the
/// server checks against that SVID's public key. Kept byte for byte in step with the server's ReattestProof.
/// </summary>
internal static class ReattestProof
{
    private static readonly byte[] s_context = Encoding.ASCII.GetBytes("agentfabric-reattest-v1\0");

    public static byte[] SigningInput(long signedAt, ReadOnlySpan<byte> csr)
    {
        var input = new byte[s_context.Length + sizeof(long) + csr.Length];
        s_context.CopyTo(input, 0);
        BinaryPrimitives.WriteInt64BigEndian(input.AsSpan(s_context.Length), signedAt);
        csr.CopyTo(input.AsSpan(s_context.Length + sizeof(long)));
        return input;
    }

    /// <summary>ECDSA: SHA-256 with a DER (RFC 3279) signature; RSA: SHA-256, PKCS#1 v1.5.</summary>
    public static byte[] Sign(AsymmetricAlgorithm key, long signedAt, ReadOnlySpan<byte> csr) => key switch
    {
        ECDsa ec => ec.SignData(SigningInput(signedAt, csr), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence),
        RSA rsa => rsa.SignData(SigningInput(signedAt, csr), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new NodeAttestationException($"agent: the node SVID's key ({key.GetType().Name}) cannot sign a re-attestation proof"),
    };
}
