using System.Security.Authentication;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.Tests.Pki;
using AgentFabric.Spiffe.Tls;

namespace AgentFabric.Spiffe.Tests.Tls;

/// <summary>Real TLS 1.3 over loopback TCP with two SslStreams (catalogue XS group and authorizers).</summary>
public class SpiffeTlsTests
{
    private static readonly SpiffeId s_serverId = SpiffeId.Parse("spiffe://example.org/server");
    private static readonly SpiffeId s_clientId = SpiffeId.Parse("spiffe://example.org/client");

    // The server's SVID hangs under an intermediate: the client's bundle holds only the root, so the handshake
    // succeeds only if the server sends its full chain.
    private static X509Svid ServerSvid() => Svid(TestPki.Intermediate, s_serverId.ToString());

    private static X509Svid ClientSvid() => Svid(TestPki.Intermediate, s_clientId.ToString());

    private static X509Svid Svid(TestCa ca, string id) => X509Svid.Create(TestPki.Chain(ca, id));

    [Fact]
    public async Task XS_AuthorizedPeerSucceeds_WithFullChainBothWays()
    {
        var serverSource = new SwappableSvidSource(ServerSvid());
        await using var server = new LoopbackTlsServer(
            SpiffeTls.MtlsServer(serverSource, TestPki.Bundle, SpiffeAuthorizer.Id(s_clientId), TestClock.Provider));

        var client = await LoopbackTlsClient.ConnectAsync(
            server.Port,
            SpiffeTls.CreateMtlsClientOptions(ClientSvid(), TestPki.Bundle, SpiffeAuthorizer.Id(s_serverId), TestClock.Provider));
        var outcome = await server.NextOutcomeAsync();

        Assert.Null(client.Error);
        Assert.Equal("ok\n", client.Reply);
        Assert.Equal(s_serverId, client.ServerId);
        Assert.Equal(SslProtocols.Tls13, client.Protocol);
        Assert.Null(outcome.Error);
        Assert.Equal(s_clientId, outcome.PeerId);
        Assert.Equal(SslProtocols.Tls13, outcome.Protocol);
    }

    [Fact]
    public async Task XS_UnauthorizedClientId_RejectedByServerWithReason()
    {
        var other = SpiffeId.Parse("spiffe://example.org/someone-else");
        await using var server = new LoopbackTlsServer(
            SpiffeTls.MtlsServer(ServerSvid(), TestPki.Bundle, SpiffeAuthorizer.Id(other), TestClock.Provider));

        var client = await LoopbackTlsClient.ConnectAsync(
            server.Port,
            SpiffeTls.CreateMtlsClientOptions(ClientSvid(), TestPki.Bundle, SpiffeAuthorizer.Any(), TestClock.Provider));
        var outcome = await server.NextOutcomeAsync();

        Assert.NotNull(client.Error);
        Assert.Equal(
            "spiffetls: peer \"spiffe://example.org/client\" is not authorized: unexpected ID \"spiffe://example.org/client\" (expected \"spiffe://example.org/someone-else\")",
            RejectionOf(outcome.Error).Message);
    }

    [Fact]
    public async Task XS_UnauthorizedServerId_RejectedByClientWithReason()
    {
        await using var server = new LoopbackTlsServer(
            SpiffeTls.MtlsServer(ServerSvid(), TestPki.Bundle, SpiffeAuthorizer.Any(), TestClock.Provider));

        var client = await LoopbackTlsClient.ConnectAsync(
            server.Port,
            SpiffeTls.CreateMtlsClientOptions(
                ClientSvid(),
                TestPki.Bundle,
                SpiffeAuthorizer.OneOf(SpiffeId.Parse("spiffe://example.org/db"), SpiffeId.Parse("spiffe://example.org/cache")),
                TestClock.Provider));
        await server.NextOutcomeAsync();

        Assert.Equal(
            "spiffetls: peer \"spiffe://example.org/server\" is not authorized: unexpected ID \"spiffe://example.org/server\" (not one of 2 allowed IDs)",
            RejectionOf(client.Error).Message);
    }

    [Fact]
    public async Task XS_ForeignTrustDomainClient_RejectedWithReason()
    {
        await using var server = new LoopbackTlsServer(
            SpiffeTls.MtlsServer(ServerSvid(), TestPki.Bundle, SpiffeAuthorizer.Any(), TestClock.Provider));

        var foreignClient = Svid(TestPki.ForeignRoot, "spiffe://foreign.test/client");
        var client = await LoopbackTlsClient.ConnectAsync(
            server.Port,
            SpiffeTls.CreateMtlsClientOptions(foreignClient, TestPki.Bundle, SpiffeAuthorizer.Any(), TestClock.Provider));
        var outcome = await server.NextOutcomeAsync();

        Assert.NotNull(client.Error);
        var rejection = RejectionOf(outcome.Error);
        Assert.Equal(
            "spiffetls: peer SVID rejected: x509svid: could not get X.509 bundle: x509bundle: no X.509 bundle for trust domain \"foreign.test\"",
            rejection.Message);
        Assert.IsType<X509SvidException>(rejection.InnerException);
    }

    [Fact]
    public async Task XF_FederatedClientAccepted_MemberOfAuthorizerDecides()
    {
        var bundles = TestPki.Bundles;
        await using var server = new LoopbackTlsServer(
            SpiffeTls.MtlsServer(ServerSvid(), bundles, SpiffeAuthorizer.MemberOf(TestPki.Foreign), TestClock.Provider));

        var foreignClient = Svid(TestPki.ForeignRoot, "spiffe://foreign.test/client");
        var accepted = await LoopbackTlsClient.ConnectAsync(
            server.Port,
            SpiffeTls.CreateMtlsClientOptions(foreignClient, bundles, SpiffeAuthorizer.Any(), TestClock.Provider));
        Assert.Null(accepted.Error);
        Assert.Equal(SpiffeId.Parse("spiffe://foreign.test/client"), (await server.NextOutcomeAsync()).PeerId);

        var rejected = await LoopbackTlsClient.ConnectAsync(
            server.Port,
            SpiffeTls.CreateMtlsClientOptions(ClientSvid(), bundles, SpiffeAuthorizer.Any(), TestClock.Provider));
        Assert.NotNull(rejected.Error);
        Assert.Equal(
            "spiffetls: peer \"spiffe://example.org/client\" is not authorized: unexpected trust domain \"example.org\" (expected \"foreign.test\")",
            RejectionOf((await server.NextOutcomeAsync()).Error).Message);
    }

    [Fact]
    public async Task XS_UntrustedServer_RejectedByClient()
    {
        var rogue = TestCa.CreateRoot("example.org");
        await using var server = new LoopbackTlsServer(
            SpiffeTls.MtlsServer(Svid(rogue, s_serverId.ToString()), TestPki.Bundle, SpiffeAuthorizer.Any(), TestClock.Provider));

        var client = await LoopbackTlsClient.ConnectAsync(
            server.Port,
            SpiffeTls.CreateMtlsClientOptions(ClientSvid(), TestPki.Bundle, SpiffeAuthorizer.Any(), TestClock.Provider));
        await server.NextOutcomeAsync();

        Assert.Equal(
            "spiffetls: peer SVID rejected: x509svid: could not verify leaf certificate: certificate signed by unknown authority",
            RejectionOf(client.Error).Message);
    }

    [Fact]
    public async Task XS_MissingClientCertificate_RejectedWithReason()
    {
        await using var server = new LoopbackTlsServer(
            SpiffeTls.MtlsServer(ServerSvid(), TestPki.Bundle, SpiffeAuthorizer.Any(), TestClock.Provider));

        var client = await LoopbackTlsClient.ConnectAsync(
            server.Port,
            SpiffeTls.CreateTlsClientOptions(TestPki.Bundle, SpiffeAuthorizer.Any(), TestClock.Provider));
        var outcome = await server.NextOutcomeAsync();

        Assert.NotNull(client.Error);
        Assert.Equal("spiffetls: peer presented no certificate", RejectionOf(outcome.Error).Message);
    }

    // XS: rotation for new connections — the listener keeps running, the next handshake presents the new SVID.
    [Fact]
    public async Task XS_RotatedSvidUsedByNextHandshake_WithoutRestartingListener()
    {
        var first = ServerSvid();
        var second = ServerSvid();
        var source = new SwappableSvidSource(first);
        await using var server = new LoopbackTlsServer(
            SpiffeTls.MtlsServer(source, TestPki.Bundle, SpiffeAuthorizer.Any(), TestClock.Provider));

        var seen = new List<byte[]>();
        var capture = SpiffeAuthorizer.Predicate(_ => true, "capture");
        for (int i = 0; i < 2; i++)
        {
            var options = SpiffeTls.CreateMtlsClientOptions(ClientSvid(), TestPki.Bundle, capture, TestClock.Provider);
            var validate = options.RemoteCertificateValidationCallback!;
            options.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                seen.Add(certificate!.GetRawCertData());
                return validate(sender, certificate, chain, errors);
            };
            var client = await LoopbackTlsClient.ConnectAsync(server.Port, options);
            Assert.Null(client.Error);
            Assert.Null((await server.NextOutcomeAsync()).Error);

            // Rotate after the first connection: a fresh key pair and certificate for the same ID.
            if (i == 0)
            {
                source.Set(second);
            }
        }

        Assert.Equal(first.Leaf.RawData, seen[0]);
        Assert.Equal(second.Leaf.RawData, seen[1]);
        Assert.True(source.Calls >= 2);
    }

    [Fact]
    public async Task XS_RotatedSvidWithNewId_SeenByNextClient()
    {
        var source = new SwappableSvidSource(ServerSvid());
        await using var server = new LoopbackTlsServer(SpiffeTls.TlsServer(source));
        var options = () => SpiffeTls.CreateTlsClientOptions(TestPki.Bundle, SpiffeAuthorizer.Any(), TestClock.Provider);

        Assert.Equal(s_serverId, (await LoopbackTlsClient.ConnectAsync(server.Port, options())).ServerId);
        await server.NextOutcomeAsync();
        source.Set(Svid(TestPki.Root, "spiffe://example.org/server-v2"));
        Assert.Equal("spiffe://example.org/server-v2", (await LoopbackTlsClient.ConnectAsync(server.Port, options())).ServerId.ToString());
        await server.NextOutcomeAsync();
    }

    // No session resumption: every new connection is verified and authorized again, on both sides.
    [Fact]
    public async Task XS_EveryConnectionIsReverified()
    {
        int serverChecks = 0;
        int clientChecks = 0;
        var serverAuthorizer = SpiffeAuthorizer.Predicate(_ => Interlocked.Increment(ref serverChecks) > 0, "count");
        var clientAuthorizer = SpiffeAuthorizer.Predicate(_ => Interlocked.Increment(ref clientChecks) > 0, "count");
        await using var server = new LoopbackTlsServer(
            SpiffeTls.MtlsServer(ServerSvid(), TestPki.Bundle, serverAuthorizer, TestClock.Provider));
        var clientSvid = new SwappableSvidSource(ClientSvid());
        for (int i = 0; i < 3; i++)
        {
            var client = await LoopbackTlsClient.ConnectAsync(
                server.Port,
                SpiffeTls.CreateMtlsClientOptions(clientSvid, TestPki.Bundle, clientAuthorizer, TestClock.Provider));
            Assert.Null(client.Error);
            Assert.Null((await server.NextOutcomeAsync()).Error);
        }

        Assert.Equal(3, serverChecks);
        Assert.Equal(3, clientChecks);
    }

    [Fact]
    public async Task XS_MultiCaBundle_AcceptsServersUnderEitherAuthority()
    {
        var next = TestCa.CreateRoot("example.org");
        var bundle = new X509Bundle(TestPki.ExampleOrg, [TestPki.Root.PublicCertificate, next.PublicCertificate]);
        foreach (var ca in new[] { TestPki.Root, next })
        {
            await using var server = new LoopbackTlsServer(SpiffeTls.TlsServer(Svid(ca, s_serverId.ToString())));
            var client = await LoopbackTlsClient.ConnectAsync(
                server.Port,
                SpiffeTls.CreateTlsClientOptions(bundle, SpiffeAuthorizer.Id(s_serverId), TestClock.Provider));
            Assert.Null(client.Error);
            Assert.Equal("ok\n", client.Reply);
            await server.NextOutcomeAsync();
        }
    }

    [Fact]
    public async Task XS_CaRemovalHonoured_ForNextHandshake()
    {
        var bundle = new X509Bundle(TestPki.ExampleOrg, [TestPki.Root.PublicCertificate]);
        await using var server = new LoopbackTlsServer(SpiffeTls.TlsServer(ServerSvid()));
        var options = SpiffeTls.CreateTlsClientOptions(bundle, SpiffeAuthorizer.Any(), TestClock.Provider);

        Assert.Null((await LoopbackTlsClient.ConnectAsync(server.Port, options)).Error);
        await server.NextOutcomeAsync();

        bundle.RemoveAuthority(TestPki.Root.Certificate);
        bundle.AddAuthority(TestCa.CreateRoot("example.org").PublicCertificate);
        var client = await LoopbackTlsClient.ConnectAsync(server.Port, options);
        await server.NextOutcomeAsync();
        Assert.Equal(
            "spiffetls: peer SVID rejected: x509svid: could not verify leaf certificate: certificate signed by unknown authority",
            RejectionOf(client.Error).Message);
    }

    [Fact]
    public async Task TlsServer_OneWay_ClientPresentsNothing()
    {
        await using var server = new LoopbackTlsServer(SpiffeTls.TlsServer(ServerSvid()));
        var client = await LoopbackTlsClient.ConnectAsync(
            server.Port,
            SpiffeTls.CreateTlsClientOptions(TestPki.Bundle, SpiffeAuthorizer.MemberOf(TestPki.ExampleOrg), TestClock.Provider));
        var outcome = await server.NextOutcomeAsync();
        Assert.Null(client.Error);
        Assert.Equal(s_serverId, client.ServerId);
        Assert.Null(outcome.Error);
        Assert.Null(outcome.PeerId);
    }

    // Why client options carry a ClientCertificateContext: a leaf returned by LocalCertificateSelectionCallback is sent
    // without its intermediates, so a peer holding only the root cannot verify it.
    [Fact]
    public async Task LocalCertificateSelectionCallback_SendsLeafOnly_SoClientOptionsUseAContext()
    {
        await using var server = new LoopbackTlsServer(
            SpiffeTls.MtlsServer(ServerSvid(), TestPki.Bundle, SpiffeAuthorizer.Any(), TestClock.Provider));
        var clientSvid = ClientSvid();
        var options = SpiffeTls.CreateTlsClientOptions(TestPki.Bundle, SpiffeAuthorizer.Any(), TestClock.Provider);
        options.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientSvid.Leaf;

        var client = await LoopbackTlsClient.ConnectAsync(server.Port, options);
        var outcome = await server.NextOutcomeAsync();

        Assert.NotNull(client.Error);
        Assert.Equal(
            "spiffetls: peer SVID rejected: x509svid: could not verify leaf certificate: certificate signed by unknown authority",
            RejectionOf(outcome.Error).Message);
    }

    [Fact]
    public void Options_AreTls13Only_AndCarryTheFullChain()
    {
        var svid = ServerSvid();
        var serverOptions = SpiffeTls.CreateMtlsServerOptions(svid, TestPki.Bundle, SpiffeAuthorizer.Any());
        Assert.Equal(SslProtocols.Tls13, serverOptions.EnabledSslProtocols);
        Assert.True(serverOptions.ClientCertificateRequired);
        Assert.False(serverOptions.AllowTlsResume);
        Assert.NotNull(serverOptions.ServerCertificateContext);
        Assert.Same(serverOptions.ServerCertificateContext, SpiffeTls.CreateTlsServerOptions(svid).ServerCertificateContext);
        Assert.Equal(svid.Intermediates[0].RawData, serverOptions.ServerCertificateContext!.IntermediateCertificates[0].RawData);

        var clientOptions = SpiffeTls.CreateMtlsClientOptions(svid, TestPki.Bundle, SpiffeAuthorizer.Any());
        Assert.Equal(SslProtocols.Tls13, clientOptions.EnabledSslProtocols);
        Assert.NotNull(clientOptions.ClientCertificateContext);
        Assert.False(clientOptions.AllowTlsResume);
        Assert.Null(SpiffeTls.CreateTlsClientOptions(TestPki.Bundle, SpiffeAuthorizer.Any()).ClientCertificateContext);
    }

    /// <summary>SslStream surfaces the validator's exception as is: a SpiffeTlsException, which is an
    /// AuthenticationException, carrying the reason.</summary>
    private static SpiffeTlsException RejectionOf(Exception? error)
    {
        Assert.NotNull(error);
        Assert.IsAssignableFrom<AuthenticationException>(error);
        return Assert.IsType<SpiffeTlsException>(error);
    }
}
