using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentProof = AgentFabric.Agent.Node.ReattestProof;
using ServerProof = AgentFabric.Server.Attestation.ReattestProof;

namespace AgentFabric.Agent.Tests.Node;

/// <summary>The agent's proof and the server's check agree byte for byte (the two sides share only agent.proto).</summary>
public class ReattestProofTests
{
    [Theory]
    [InlineData(0L, "")]
    [InlineData(1_790_000_000L, "3082")]
    [InlineData(-1L, "00ff")]
    public void SigningInput_IsTheSameOnBothSides(long signedAt, string csrHex)
    {
        var csr = Convert.FromHexString(csrHex);
        var input = AgentProof.SigningInput(signedAt, csr);
        Assert.Equal(ServerProof.SigningInput(signedAt, csr), input);
        Assert.Equal("6167656e746661627269632d72656174746573742d763100", Convert.ToHexStringLower(input[..24]));
        Assert.Equal(signedAt, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(input.AsSpan(24, 8)));
        Assert.Equal(csr, input[32..]);
    }

    [Fact]
    public void AgentSignature_VerifiesOnTheServer_OnlyForTheSameTimeAndCsr()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = new CertificateRequest("CN=node", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1));
        byte[] csr = [1, 2, 3];
        var signature = AgentProof.Sign(key, 42, csr);
        Assert.True(ServerProof.Verify(leaf, 42, csr, signature));
        Assert.False(ServerProof.Verify(leaf, 43, csr, signature));
        Assert.False(ServerProof.Verify(leaf, 42, [1, 2, 4], signature));
        Assert.False(ServerProof.Verify(leaf, 42, csr, [0x30, 0x00]));
    }
}
