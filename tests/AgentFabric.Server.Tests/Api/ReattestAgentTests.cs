using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Server.Attestation;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Testing;
using Google.Protobuf;
using Grpc.Core;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Tests.Api;

/// <summary>ReattestAgent: a node whose SVID expired proves it holds that SVID's key; every refusal is specific.</summary>
public class ReattestAgentTests
{
    // agent_ttl defaults to default_x509_svid_ttl (1h); the server backdates notBefore by 10 s.
    private static readonly TimeSpan s_pastExpiry = TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1);

    private static V1.ReattestAgentRequest Request(X509Svid svid, ECDsa newKey, TimeProvider time, AsymmetricAlgorithm? signer = null, long? signedAt = null)
    {
        var csr = ServerFixture.Csr(newKey);
        var at = signedAt ?? time.GetUtcNow().ToUnixTimeSeconds();
        var request = new V1.ReattestAgentRequest
        {
            Csr = ByteString.CopyFrom(csr),
            SignedAt = at,
            Signature = ByteString.CopyFrom(ReattestProof.Sign(signer ?? svid.PrivateKey, at, csr)),
        };
        request.SvidChain.AddRange(svid.Certificates.Select(c => ByteString.CopyFrom(c.RawData)));
        return request;
    }

    private static async Task<RpcException> Refused(ServerFixture server, V1.ReattestAgentRequest request) =>
        await Assert.ThrowsAsync<RpcException>(async () => await server.AnonymousAgent().ReattestAgentAsync(request));

    [Fact]
    public async Task ExpiredSvid_Reattests_KeepingTheNodeId_AndTheProofWorksOnce()
    {
        var time = new FakeTimeWithSystemTimers();
        var logs = new ListLoggerProvider();
        await using var server = await ServerFixture.StartAsync(time, logs: logs);
        var (node, _) = await server.AttestAsync("spiffe://agentvault.com/spire-agent");
        time.Advance(s_pastExpiry);

        // The expired SVID no longer gets through the handshake's verification...
        await Assert.ThrowsAnyAsync<Exception>(async () => await server.AgentClient(node).GetBundlesAsync(new V1.Empty()));

        // ...but proves the node: a new SVID for the same ID, over the new key, verifying with the returned bundle.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Request(node, key, time);
        var response = await server.AnonymousAgent().ReattestAgentAsync(request);
        var chain = response.Svid.CertChain.Select(c => X509CertificateLoader.LoadCertificate(c.Span)).ToArray();
        var fresh = X509Svid.Create(chain, key);
        Assert.Equal(node.Id, fresh.Id);
        Assert.Equal(node.Id, X509SvidVerifier.Verify(fresh.Certificates, server.Bundle(), time).Id);
        Assert.Equal(server.Bundle().Authorities.Select(a => a.RawData), response.Bundle.X509Authorities.Select(a => a.ToByteArray()));
        Assert.Equal("agentvault.com", (await server.AgentClient(fresh).GetBundlesAsync(new V1.Empty())).Bundle.TrustDomain);
        var agent = await server.Admin().GetAgentAsync(new V1.AgentIdRequest { Id = node.Id.ToString() });
        Assert.Equal(fresh.Leaf.SerialNumber, agent.X509SvidSerialNumber, ignoreCase: true);

        var logged = Assert.Single(logs.Records, r => r.EventId == 2004);
        Assert.StartsWith($"Node {node.Id} re-attested with its node SVID (expired ", logged.Message, StringComparison.Ordinal);

        // The same request again (a replay, or a retry): the old serial is no longer current.
        var replay = await Refused(server, request);
        Assert.Equal((StatusCode.PermissionDenied, $"attestation: the SVID presented is not the current SVID of node \"{node.Id}\" (a newer one was issued)"), (replay.StatusCode, replay.Status.Detail));
    }

    [Fact]
    public async Task SignatureByAnotherKey_IsRefused()
    {
        var time = new FakeTimeWithSystemTimers();
        var logs = new ListLoggerProvider();
        await using var server = await ServerFixture.StartAsync(time, logs: logs);
        var (node, _) = await server.AttestAsync();
        time.Advance(s_pastExpiry);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var thief = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var e = await Refused(server, Request(node, key, time, signer: thief));
        const string Expected = "attestation: the re-attestation signature does not verify with the node SVID's key";
        Assert.Equal((StatusCode.PermissionDenied, Expected), (e.StatusCode, e.Status.Detail));
        var logged = Assert.Single(logs.Records, r => r.EventId == 2002);
        Assert.Equal((Microsoft.Extensions.Logging.LogLevel.Warning, "Node attestation (reattest) failed: " + Expected), (logged.Level, logged.Message));

        // A signature over another CSR does not carry over either.
        var request = Request(node, key, time);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        request.Csr = ByteString.CopyFrom(ServerFixture.Csr(other));
        Assert.Equal(Expected, (await Refused(server, request)).Status.Detail);
    }

    [Fact]
    public async Task SupersededSvid_IsRefused()
    {
        var time = new FakeTimeWithSystemTimers();
        await using var server = await ServerFixture.StartAsync(time);
        var (node, _) = await server.AttestAsync();
        using var renewedKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await server.AgentClient(node).RenewAgentAsync(new V1.RenewAgentRequest { Csr = ByteString.CopyFrom(ServerFixture.Csr(renewedKey)) });
        time.Advance(s_pastExpiry);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var e = await Refused(server, Request(node, key, time));
        Assert.Equal((StatusCode.PermissionDenied, $"attestation: the SVID presented is not the current SVID of node \"{node.Id}\" (a newer one was issued)"), (e.StatusCode, e.Status.Detail));
    }

    [Fact]
    public async Task BannedNode_IsRefused()
    {
        var time = new FakeTimeWithSystemTimers();
        await using var server = await ServerFixture.StartAsync(time);
        var (node, _) = await server.AttestAsync();
        await server.Admin().BanAgentAsync(new V1.AgentIdRequest { Id = node.Id.ToString() });
        time.Advance(s_pastExpiry);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var e = await Refused(server, Request(node, key, time));
        Assert.Equal((StatusCode.PermissionDenied, $"attestation: node \"{node.Id}\" is banned"), (e.StatusCode, e.Status.Detail));
    }

    [Fact]
    public async Task EvictedNode_IsRefused()
    {
        var time = new FakeTimeWithSystemTimers();
        await using var server = await ServerFixture.StartAsync(time);
        var (node, _) = await server.AttestAsync();
        await server.Admin().EvictAgentAsync(new V1.AgentIdRequest { Id = node.Id.ToString() });
        time.Advance(s_pastExpiry);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var e = await Refused(server, Request(node, key, time));
        Assert.Equal((StatusCode.PermissionDenied, $"attestation: \"{node.Id}\" is not an attested node (evicted or never attested)"), (e.StatusCode, e.Status.Detail));
    }

    [Fact]
    public async Task BeyondTheGracePeriod_IsRefused_AndJustWithinItIsAccepted()
    {
        var time = new FakeTimeWithSystemTimers();
        await using var server = await ServerFixture.StartAsync(time, extraJson: """, "agent_reattest_grace": "2h" """);
        var (late, _) = await server.AttestAsync();
        time.Advance(TimeSpan.FromHours(1));
        var (onTime, _) = await server.AttestAsync();

        // late expired 2h 1s ago, onTime 1h 1s ago.
        time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var e = await Refused(server, Request(late, key, time));
        var expiry = late.NotAfter.ToString("u", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((StatusCode.PermissionDenied, $"attestation: the node SVID of \"{late.Id}\" expired at {expiry}, beyond the re-attestation grace of 2h; attest with a new join token"), (e.StatusCode, e.Status.Detail));

        Assert.Equal(onTime.Id.ToString(), (await server.AnonymousAgent().ReattestAgentAsync(Request(onTime, key, time))).Svid.SpiffeId);
    }

    [Fact]
    public async Task SvidOfAForeignCa_IsRefused()
    {
        var time = new FakeTimeWithSystemTimers();
        await using var server = await ServerFixture.StartAsync(time);
        await using var impostor = await ServerFixture.StartAsync(time);
        await using var partner = await ServerFixture.StartAsync(time, trustDomain: "partner.com");
        var (ours, _) = await server.AttestAsync();
        var (sameDomainOtherCa, _) = await impostor.AttestAsync();
        var (otherDomain, _) = await partner.AttestAsync();
        time.Advance(s_pastExpiry);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var e = await Refused(server, Request(sameDomainOtherCa, key, time));
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.StartsWith("attestation: the node SVID was not issued by this server's CA (x509svid: could not verify leaf certificate: ", e.Status.Detail, StringComparison.Ordinal);

        var foreign = await Refused(server, Request(otherDomain, key, time));
        Assert.Equal("attestation: the node SVID was not issued by this server's CA (x509svid: could not get X.509 bundle: x509bundle: no X.509 bundle for trust domain \"partner.com\")", foreign.Status.Detail);

        // A chain forged by appending our CA certificate to a foreign leaf does not help.
        var forged = Request(sameDomainOtherCa, key, time);
        forged.SvidChain.Add(ByteString.CopyFrom(server.Bundle().Authorities[0].RawData));
        Assert.StartsWith("attestation: the node SVID was not issued by this server's CA (", (await Refused(server, forged)).Status.Detail, StringComparison.Ordinal);
        Assert.Equal(ours.Id.ToString(), (await server.AnonymousAgent().ReattestAgentAsync(Request(ours, key, time))).Svid.SpiffeId);
    }

    [Fact]
    public async Task StaleProof_Disabled_AndMalformedRequests_AreRefused()
    {
        var time = new FakeTimeWithSystemTimers();
        await using var server = await ServerFixture.StartAsync(time);
        var (node, _) = await server.AttestAsync();
        time.Advance(s_pastExpiry);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signedAt = time.GetUtcNow().AddMinutes(-5).AddSeconds(-1);
        var stale = await Refused(server, Request(node, key, time, signedAt: signedAt.ToUnixTimeSeconds()));
        Assert.Equal(
            $"attestation: the re-attestation proof was signed at {signedAt:u}, more than 5m from the server's time {time.GetUtcNow():u}",
            stale.Status.Detail);

        var noChain = new V1.ReattestAgentRequest(Request(node, key, time));
        noChain.SvidChain.Clear();
        Assert.Equal("attestation: re-attestation needs the node SVID chain", (await Refused(server, noChain)).Status.Detail);

        var junk = Request(node, key, time);
        junk.SvidChain[0] = ByteString.CopyFromUtf8("junk");
        Assert.StartsWith("attestation: the node SVID chain cannot be read: ", (await Refused(server, junk)).Status.Detail, StringComparison.Ordinal);

        var badCsr = Request(node, key, time);
        badCsr.Csr = ByteString.CopyFromUtf8("junk");
        var csrError = await Refused(server, badCsr);
        Assert.Equal(StatusCode.InvalidArgument, csrError.StatusCode);
        Assert.StartsWith("ca: CSR is malformed or its signature does not verify", csrError.Status.Detail, StringComparison.Ordinal);

        // None of the refusals spent the proof.
        Assert.Equal(node.Id.ToString(), (await server.AnonymousAgent().ReattestAgentAsync(Request(node, key, time))).Svid.SpiffeId);

        await using var off = await ServerFixture.StartAsync(time, extraJson: """, "agent_reattest_grace": "0" """);
        var (offNode, _) = await off.AttestAsync();
        var disabled = await Refused(off, Request(offNode, key, off.Time));
        Assert.Equal("attestation: re-attestation is disabled on this server (agent_reattest_grace is 0); attest with a new join token", disabled.Status.Detail);
    }
}
