using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Testing;
using Google.Protobuf;
using Grpc.Core;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Tests.Api;

public class AgentApiTests
{
    private static V1.Entry Entry(string spiffeId, string parentId, string selector = "unix:uid:1000") => new()
    {
        SpiffeId = spiffeId,
        ParentId = parentId,
        Selectors = { new V1.Selector { Type = selector.Split(':', 2)[0], Value = selector.Split(':', 2)[1] } },
    };

    [Fact]
    public async Task JoinToken_AttestsOnce_GivingTheSpireNodeId()
    {
        await using var server = await ServerFixture.StartAsync();
        var (svid, token) = await server.AttestAsync();
        Assert.Equal($"spiffe://agentvault.com/spire/agent/join_token/{token}", svid.Id.ToString());
        Assert.Equal(svid.Id, X509SvidVerifier.Verify(svid.Certificates, server.Bundle(), TimeProvider.System).Id);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var reuse = await Assert.ThrowsAsync<RpcException>(async () => await server.AnonymousAgent().AttestAgentAsync(new V1.AttestAgentRequest
        {
            AttestationType = "join_token",
            Payload = ByteString.CopyFromUtf8(token),
            Csr = ByteString.CopyFrom(ServerFixture.Csr(key)),
        }));
        Assert.Equal(StatusCode.PermissionDenied, reuse.StatusCode);
        Assert.Equal("attestation: join token does not exist or has already been used", reuse.Status.Detail);

        var agents = await server.Admin().ListAgentsAsync(new V1.Empty());
        var agent = Assert.Single(agents.Agents);
        Assert.Equal((svid.Id.ToString(), "join_token", false), (agent.Id, agent.AttestationType, agent.Banned));
    }

    [Fact]
    public async Task ExpiredToken_UnknownType_AndBadCsr_AreRefused()
    {
        var time = new FakeTimeWithSystemTimers();
        await using var server = await ServerFixture.StartAsync(time);
        var token = await server.Admin().CreateJoinTokenAsync(new V1.CreateJoinTokenRequest { Ttl = 60 });
        time.Advance(TimeSpan.FromSeconds(61));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new V1.AttestAgentRequest { AttestationType = "join_token", Payload = ByteString.CopyFromUtf8(token.Value), Csr = ByteString.CopyFrom(ServerFixture.Csr(key)) };
        var expired = await Assert.ThrowsAsync<RpcException>(async () => await server.AnonymousAgent().AttestAgentAsync(request));
        Assert.Equal("attestation: join token expired", expired.Status.Detail);

        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await server.AnonymousAgent().AttestAgentAsync(new V1.AttestAgentRequest(request) { AttestationType = "aws_iid" }));
        Assert.Equal("attestation: unknown attestation type \"aws_iid\" (supported: join_token)", unknown.Status.Detail);

        var fresh = await server.Admin().CreateJoinTokenAsync(new V1.CreateJoinTokenRequest { Ttl = 60 });
        var badCsr = await Assert.ThrowsAsync<RpcException>(async () => await server.AnonymousAgent().AttestAgentAsync(new V1.AttestAgentRequest(request) { Payload = ByteString.CopyFromUtf8(fresh.Value), Csr = ByteString.CopyFromUtf8("junk") }));
        Assert.Equal(StatusCode.InvalidArgument, badCsr.StatusCode);
        Assert.StartsWith("ca: CSR is malformed or its signature does not verify", badCsr.Status.Detail, StringComparison.Ordinal);

        // The bad CSR did not burn the token.
        var ok = await server.AnonymousAgent().AttestAgentAsync(new V1.AttestAgentRequest(request) { Payload = ByteString.CopyFromUtf8(fresh.Value) });
        Assert.Equal($"spiffe://agentvault.com/spire/agent/join_token/{fresh.Value}", ok.Svid.SpiffeId);
    }

    [Fact]
    public async Task AttestationRateLimit_IsPerCaller()
    {
        var time = new FakeTimeWithSystemTimers();
        await using var server = await ServerFixture.StartAsync(time, attestationLimit: 1);
        var first = await server.AttestAsync();
        Assert.NotNull(first.Svid);
        var e = await Assert.ThrowsAsync<RpcException>(() => server.AttestAsync());
        Assert.Equal((StatusCode.ResourceExhausted, "attestation: rate limit exceeded for this caller; retry later"), (e.StatusCode, e.Status.Detail));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull((await server.AttestAsync()).Svid);
    }

    [Fact]
    public async Task SignsOnlyAuthorizedEntries_WithTheEntrysId()
    {
        var logs = new ListLoggerProvider();
        await using var server = await ServerFixture.StartAsync(logs: logs);
        var admin = server.Admin();
        var (node, _) = await server.AttestAsync("spiffe://agentvault.com/spire-agent");
        var teg = await admin.CreateEntryAsync(new V1.CreateEntryRequest { Entry = Entry("spiffe://agentvault.com/service/teg-core", "spiffe://agentvault.com/spire-agent") });
        teg.DnsNames.Add("x");
        var agent123 = await admin.CreateEntryAsync(new V1.CreateEntryRequest { Entry = Entry("spiffe://agentvault.com/agent/agent123", "spiffe://agentvault.com/service/teg-core", "k8s:pod-name:agent-123") });
        var foreign = await admin.CreateEntryAsync(new V1.CreateEntryRequest { Entry = Entry("spiffe://agentvault.com/service/secret", "spiffe://agentvault.com/other-node") });

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = ByteString.CopyFrom(ServerFixture.Csr(key));
        var response = await server.AgentClient(node).SignX509SvidsAsync(new V1.SignX509SvidsRequest
        {
            Requests =
            {
                new V1.SvidRequest { EntryId = teg.Id, Csr = csr },
                new V1.SvidRequest { EntryId = agent123.Id, Csr = csr },
                new V1.SvidRequest { EntryId = foreign.Id, Csr = csr },
            },
        });
        Assert.Equal(3, response.Results.Count);
        Assert.Equal("", response.Results[0].Error);
        var chain = response.Results[0].Svid.CertChain.Select(c => X509CertificateLoader.LoadCertificate(c.Span)).ToList();
        Assert.Equal("spiffe://agentvault.com/service/teg-core", X509SvidVerifier.Verify(chain, server.Bundle(), TimeProvider.System).Id.ToString());
        Assert.Equal("spiffe://agentvault.com/agent/agent123", response.Results[1].Svid.SpiffeId);
        Assert.Null(response.Results[2].Svid);
        Assert.Equal($"attestation: node \"{node.Id}\" is not authorized for entry \"{foreign.Id}\"", response.Results[2].Error);
        var refusal = Assert.Single(logs.Records, r => r.EventId == 2003);
        Assert.Equal((Microsoft.Extensions.Logging.LogLevel.Warning, $"Refused to sign: node {node.Id} is not authorized for entry {foreign.Id}"), (refusal.Level, refusal.Message));
    }

    [Fact]
    public async Task MintsJwtSvids_OnlyForAuthorizedEntries_WithAKidFromTheBundle()
    {
        await using var server = await ServerFixture.StartAsync();
        var admin = server.Admin();
        var (node, _) = await server.AttestAsync("spiffe://agentvault.com/spire-agent");
        var teg = await admin.CreateEntryAsync(new V1.CreateEntryRequest { Entry = new V1.Entry(Entry("spiffe://agentvault.com/service/teg-core", "spiffe://agentvault.com/spire-agent")) { JwtSvidTtl = 300 } });
        var foreign = await admin.CreateEntryAsync(new V1.CreateEntryRequest { Entry = Entry("spiffe://agentvault.com/service/secret", "spiffe://agentvault.com/other-node") });
        var client = server.AgentClient(node);
        var minted = await client.MintJwtSvidAsync(new V1.MintJwtSvidRequest { EntryId = teg.Id, Audience = { "registry" } });
        Assert.Equal("spiffe://agentvault.com/service/teg-core", minted.SpiffeId);
        var header = System.Text.Json.JsonDocument.Parse(AgentFabric.Server.Tests.Ca.JwtAuthorityTests.Base64UrlDecode(minted.Token.Split('.')[0]));
        var kid = header.RootElement.GetProperty("kid").GetString();
        var bundle = await client.GetBundlesAsync(new V1.Empty());
        Assert.Contains($"\"kid\":\"{kid}\"", bundle.Bundle.JwtAuthoritiesJwks, StringComparison.Ordinal);

        // The token verifies with the SDK against the bundle the Agent API hands out.
        var spiffeBundle = AgentFabric.Server.Federation.StoredBundleFormat.ToSpiffeBundle(
            server.TrustDomain, [], bundle.Bundle.JwtAuthoritiesJwks, bundle.Bundle.RefreshHint, bundle.Bundle.SequenceNumber);
        var svid = AgentFabric.Spiffe.Svid.Jwt.JwtSvid.Parse(minted.Token, spiffeBundle, ["registry"]);
        Assert.Equal((minted.SpiffeId, kid, minted.ExpiresAt), (svid.Id.ToString(), svid.KeyId, svid.Expiry.ToUnixTimeSeconds()));

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.MintJwtSvidAsync(new V1.MintJwtSvidRequest { EntryId = foreign.Id, Audience = { "registry" } }));
        Assert.Equal((StatusCode.PermissionDenied, $"attestation: node \"{node.Id}\" is not authorized for entry \"{foreign.Id}\""), (refused.StatusCode, refused.Status.Detail));
        var noAudience = await Assert.ThrowsAsync<RpcException>(async () => await client.MintJwtSvidAsync(new V1.MintJwtSvidRequest { EntryId = teg.Id }));
        Assert.Equal((StatusCode.InvalidArgument, "ca: a JWT-SVID needs at least one non-empty audience"), (noAudience.StatusCode, noAudience.Status.Detail));
    }

    [Fact]
    public async Task NoClientCertificate_CannotSign()
    {
        await using var server = await ServerFixture.StartAsync();
        var e = await Assert.ThrowsAsync<RpcException>(async () => await server.AnonymousAgent().SignX509SvidsAsync(new V1.SignX509SvidsRequest()));
        Assert.Equal((StatusCode.PermissionDenied, "attestation: the caller presented no node SVID"), (e.StatusCode, e.Status.Detail));
    }

    [Fact]
    public async Task Sync_PushesChangesAtOnce_AndEndsWhenTheNodeIsEvicted()
    {
        await using var server = await ServerFixture.StartAsync();
        var admin = server.Admin();
        var (node, _) = await server.AttestAsync("spiffe://agentvault.com/spire-agent");
        var teg = await admin.CreateEntryAsync(new V1.CreateEntryRequest { Entry = Entry("spiffe://agentvault.com/service/teg-core", "spiffe://agentvault.com/spire-agent") });

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = server.AgentClient(node).SyncEntries(new V1.SyncEntriesRequest(), cancellationToken: cts.Token);
        var stream = call.ResponseStream;
        Assert.True(await stream.MoveNext(cts.Token));
        Assert.Equal(["spiffe://agentvault.com/service/teg-core", "spiffe://agentvault.com/spire-agent"], stream.Current.Upserted.Select(e => e.SpiffeId).Order());

        var started = System.Diagnostics.Stopwatch.StartNew();
        var added = await admin.CreateEntryAsync(new V1.CreateEntryRequest { Entry = Entry("spiffe://agentvault.com/agent/agent123", "spiffe://agentvault.com/service/teg-core") });
        Assert.True(await stream.MoveNext(cts.Token));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"push took {started.Elapsed}");
        Assert.Equal([added.Id], stream.Current.Upserted.Select(e => e.Id));
        Assert.Empty(stream.Current.RemovedEntryIds);

        // An entry for another node is not pushed; a delete in our subtree is.
        await admin.CreateEntryAsync(new V1.CreateEntryRequest { Entry = Entry("spiffe://agentvault.com/x", "spiffe://agentvault.com/other") });
        await admin.DeleteEntryAsync(new V1.EntryIdRequest { Id = teg.Id });
        Assert.True(await stream.MoveNext(cts.Token));
        Assert.Empty(stream.Current.Upserted);
        Assert.Equal(new[] { teg.Id, added.Id }.Order(), stream.Current.RemovedEntryIds.Order());

        await admin.EvictAgentAsync(new V1.AgentIdRequest { Id = node.Id.ToString() });
        var ended = await Assert.ThrowsAsync<RpcException>(() => stream.MoveNext(cts.Token));
        Assert.Equal((StatusCode.PermissionDenied, $"attestation: node \"{node.Id}\" was evicted or banned"), (ended.StatusCode, ended.Status.Detail));

        var again = await Assert.ThrowsAsync<RpcException>(async () => await server.AgentClient(node).SignX509SvidsAsync(new V1.SignX509SvidsRequest()));
        Assert.Equal($"attestation: \"{node.Id}\" is not an attested node (evicted or never attested)", again.Status.Detail);
    }

    [Fact]
    public async Task Sync_SkipsEntriesTheAgentAlreadyHas()
    {
        await using var server = await ServerFixture.StartAsync();
        var admin = server.Admin();
        var (node, _) = await server.AttestAsync("spiffe://agentvault.com/spire-agent");
        var teg = await admin.CreateEntryAsync(new V1.CreateEntryRequest { Entry = Entry("spiffe://agentvault.com/service/teg-core", "spiffe://agentvault.com/spire-agent") });
        var alias = (await admin.ListEntriesAsync(new V1.ListEntriesRequest { BySpiffeId = "spiffe://agentvault.com/spire-agent" })).Entries.Single();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = server.AgentClient(node).SyncEntries(new V1.SyncEntriesRequest
        {
            KnownRevisions = { [alias.Id] = alias.RevisionNumber, [teg.Id] = teg.RevisionNumber - 1, ["gone"] = 1 },
        }, cancellationToken: cts.Token);
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        Assert.Equal([teg.Id], call.ResponseStream.Current.Upserted.Select(e => e.Id));
        Assert.Equal(["gone"], call.ResponseStream.Current.RemovedEntryIds);
    }

    [Fact]
    public async Task BannedNode_CannotRenewOrAttestAgain()
    {
        await using var server = await ServerFixture.StartAsync();
        var (node, _) = await server.AttestAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var renewed = await server.AgentClient(node).RenewAgentAsync(new V1.RenewAgentRequest { Csr = ByteString.CopyFrom(ServerFixture.Csr(key)) });
        Assert.Equal(node.Id.ToString(), renewed.Svid.SpiffeId);
        var old = await Assert.ThrowsAsync<RpcException>(async () => await server.AgentClient(node).GetBundlesAsync(new V1.Empty()));
        Assert.Equal($"attestation: the SVID presented is not the current SVID of node \"{node.Id}\"", old.Status.Detail);

        var fresh = X509Svid.Create(renewed.Svid.CertChain.Select(c => X509CertificateLoader.LoadCertificate(c.Span)), key);
        Assert.Equal("agentvault.com", (await server.AgentClient(fresh).GetBundlesAsync(new V1.Empty())).Bundle.TrustDomain);
        await server.Admin().BanAgentAsync(new V1.AgentIdRequest { Id = node.Id.ToString() });
        var banned = await Assert.ThrowsAsync<RpcException>(async () => await server.AgentClient(fresh).GetBundlesAsync(new V1.Empty()));
        Assert.Equal($"attestation: node \"{node.Id}\" is banned", banned.Status.Detail);
        Assert.True((await server.Admin().GetAgentAsync(new V1.AgentIdRequest { Id = node.Id.ToString() })).Banned);
    }

    [Fact]
    public async Task Restart_KeepsCaEntriesAndNodes()
    {
        await using var server = await ServerFixture.StartAsync();
        var (node, _) = await server.AttestAsync("spiffe://agentvault.com/spire-agent");
        var teg = await server.Admin().CreateEntryAsync(new V1.CreateEntryRequest { Entry = Entry("spiffe://agentvault.com/service/teg-core", "spiffe://agentvault.com/spire-agent") });
        var thumbprint = server.Host.Runtime.Ca.Active.Certificate.Thumbprint;

        await server.RestartAsync();
        Assert.Equal(thumbprint, server.Host.Runtime.Ca.Active.Certificate.Thumbprint);
        Assert.Equal(teg.SpiffeId, (await server.Admin().GetEntryAsync(new V1.EntryIdRequest { Id = teg.Id })).SpiffeId);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signed = await server.AgentClient(node).SignX509SvidsAsync(new V1.SignX509SvidsRequest { Requests = { new V1.SvidRequest { EntryId = teg.Id, Csr = ByteString.CopyFrom(ServerFixture.Csr(key)) } } });
        Assert.Equal("spiffe://agentvault.com/service/teg-core", signed.Results[0].Svid.SpiffeId);
    }

    [Fact]
    public async Task CaRotation_EndToEnd_NewBundleBeforeNewSigner()
    {
        await using var server = await ServerFixture.StartAsync();
        var runtime = server.Host.Runtime;
        var (node, _) = await server.AttestAsync("spiffe://agentvault.com/spire-agent");
        var teg = await server.Admin().CreateEntryAsync(new V1.CreateEntryRequest { Entry = Entry("spiffe://agentvault.com/service/teg-core", "spiffe://agentvault.com/spire-agent") });

        runtime.Ca.PrepareNext();
        await runtime.Bundles.PublishOwnAsync();
        var bundle = await server.AgentClient(node).GetBundlesAsync(new V1.Empty());
        Assert.Equal(2, bundle.Bundle.X509Authorities.Count);
        var agentBundle = new AgentFabric.Spiffe.Bundles.X509.X509Bundle(server.TrustDomain, bundle.Bundle.X509Authorities.Select(c => X509CertificateLoader.LoadCertificate(c.Span)));

        runtime.Ca.ActivatePrepared();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signed = await server.AgentClient(node).SignX509SvidsAsync(new V1.SignX509SvidsRequest { Requests = { new V1.SvidRequest { EntryId = teg.Id, Csr = ByteString.CopyFrom(ServerFixture.Csr(key)) } } });
        var chain = signed.Results[0].Svid.CertChain.Select(c => X509CertificateLoader.LoadCertificate(c.Span)).ToList();
        Assert.Equal(runtime.Ca.Active.Certificate.SubjectName.Name, chain[0].IssuerName.Name);
        Assert.Equal("spiffe://agentvault.com/service/teg-core", X509SvidVerifier.Verify(chain, agentBundle, TimeProvider.System).Id.ToString());
    }
}
