using System.Security.Cryptography;
using AgentFabric.Server.Attestation;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Testing;
using Google.Protobuf;
using Grpc.Core;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Tests.Api;

/// <summary>ListAgentsByFilter (what agent purge lists with) and what a purge does to an agent.</summary>
public class AgentPurgeApiTests
{
    private static V1.ReattestAgentRequest Reattest(X509Svid svid, ECDsa newKey, TimeProvider time)
    {
        var csr = ServerFixture.Csr(newKey);
        var at = time.GetUtcNow().ToUnixTimeSeconds();
        var request = new V1.ReattestAgentRequest { Csr = ByteString.CopyFrom(csr), SignedAt = at, Signature = ByteString.CopyFrom(ReattestProof.Sign(svid.PrivateKey, at, csr)) };
        request.SvidChain.AddRange(svid.Certificates.Select(c => ByteString.CopyFrom(c.RawData)));
        return request;
    }

    [Fact]
    public async Task ListAgentsByFilter_ByExpiryAndBan_EarliestExpiryFirst()
    {
        var time = new FakeTimeWithSystemTimers();
        await using var server = await ServerFixture.StartAsync(time);
        var (first, _) = await server.AttestAsync();
        time.Advance(TimeSpan.FromMinutes(10));
        var (second, _) = await server.AttestAsync();
        time.Advance(TimeSpan.FromMinutes(10));
        var (third, _) = await server.AttestAsync();
        var admin = server.Admin();
        await admin.BanAgentAsync(new V1.AgentIdRequest { Id = second.Id.ToString() });
        var firstExpiry = (await admin.GetAgentAsync(new V1.AgentIdRequest { Id = first.Id.ToString() })).X509SvidExpiresAt;

        async Task<string[]> Ids(long before, bool? banned)
        {
            var request = new V1.ListAgentsByFilterRequest { ByExpiresBefore = before };
            if (banned is { } b)
            {
                request.ByBanned = b;
            }

            return (await admin.ListAgentsByFilterAsync(request)).Agents.Select(a => a.Id).ToArray();
        }

        string[] all = [first.Id.ToString(), second.Id.ToString(), third.Id.ToString()];
        Assert.Equal(all, await Ids(0, null));
        Assert.Equal([all[0], all[2]], await Ids(0, false));
        Assert.Equal([all[1]], await Ids(0, true));
        Assert.Empty(await Ids(firstExpiry, null));
        Assert.Equal([all[0]], await Ids(firstExpiry + 1, false));
        Assert.Equal([all[0]], await Ids(firstExpiry + 601, false));
        Assert.Equal([all[0], all[1]], await Ids(firstExpiry + 601, null));
        Assert.Equal([all[0], all[2]], await Ids(long.MaxValue, false));

        var bad = await Assert.ThrowsAsync<RpcException>(async () => await admin.ListAgentsByFilterAsync(new V1.ListAgentsByFilterRequest { ByExpiresBefore = -1 }));
        Assert.Equal((StatusCode.InvalidArgument, "registration: by_expires_before must be a Unix time in seconds, got -1"), (bad.StatusCode, bad.Status.Detail));
    }

    [Fact]
    public async Task PrunedAgent_CanNoLongerReattestOrRenew_ABannedOneStaysBanned()
    {
        var time = new FakeTimeWithSystemTimers();
        await using var server = await ServerFixture.StartAsync(time);
        var (pruned, _) = await server.AttestAsync();
        var (banned, _) = await server.AttestAsync();
        var (live, _) = await server.AttestAsync();
        var admin = server.Admin();
        await admin.BanAgentAsync(new V1.AgentIdRequest { Id = banned.Id.ToString() });

        // Three hours on, within the 7 days re-attestation grace: the live agent re-attests, the other one does not.
        time.Advance(TimeSpan.FromHours(3));
        using var liveKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await server.AnonymousAgent().ReattestAgentAsync(Reattest(live, liveKey, time));
        var gone = await server.Host.Runtime.Registration.PruneExpiredAgentsAsync(TimeSpan.FromHours(1), 1000);
        Assert.Equal([pruned.Id.ToString()], gone);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await server.AnonymousAgent().ReattestAgentAsync(Reattest(pruned, key, time)));
        Assert.Equal((StatusCode.PermissionDenied, $"attestation: \"{pruned.Id}\" is not an attested node (evicted or never attested)"), (refused.StatusCode, refused.Status.Detail));
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await admin.GetAgentAsync(new V1.AgentIdRequest { Id = pruned.Id.ToString() }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        Assert.True((await admin.GetAgentAsync(new V1.AgentIdRequest { Id = banned.Id.ToString() })).Banned);
        var stillBanned = await Assert.ThrowsAsync<RpcException>(async () => await server.AnonymousAgent().ReattestAgentAsync(Reattest(banned, key, time)));
        Assert.Equal(StatusCode.PermissionDenied, stillBanned.StatusCode);
        Assert.Equal(
            new[] { live.Id.ToString(), banned.Id.ToString() }.Order(StringComparer.Ordinal),
            (await admin.ListAgentsAsync(new V1.Empty())).Agents.Select(a => a.Id).Order(StringComparer.Ordinal));
    }
}
