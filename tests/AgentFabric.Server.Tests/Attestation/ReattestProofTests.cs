using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Server.Attestation;

namespace AgentFabric.Server.Tests.Attestation;

/// <summary>The re-attestation proof's wire format (the agent compiles the same file to sign).</summary>
public class ReattestProofTests
{
    [Theory]
    [InlineData(0L, "")]
    [InlineData(1_790_000_000L, "3082")]
    [InlineData(-1L, "00ff")]
    public void SigningInput_IsContextTimeAndCsr(long signedAt, string csrHex)
    {
        var csr = Convert.FromHexString(csrHex);
        var input = ReattestProof.SigningInput(signedAt, csr);
        Assert.Equal(32 + csr.Length, input.Length);
        Assert.Equal("6167656e746661627269632d72656174746573742d763100", Convert.ToHexStringLower(input[..24]));
        Assert.Equal(signedAt, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(input.AsSpan(24, 8)));
        Assert.Equal(csr, input[32..]);
    }

    [Fact]
    public void Signature_Verifies_OnlyForTheSameTimeAndCsr()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = new CertificateRequest("CN=node", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1));
        byte[] csr = [1, 2, 3];
        var signature = ReattestProof.Sign(key, 42, csr);
        Assert.True(ReattestProof.Verify(leaf, 42, csr, signature));
        Assert.False(ReattestProof.Verify(leaf, 43, csr, signature));
        Assert.False(ReattestProof.Verify(leaf, 42, [1, 2, 4], signature));
        Assert.False(ReattestProof.Verify(leaf, 42, csr, [0x30, 0x00]));
    }
}
