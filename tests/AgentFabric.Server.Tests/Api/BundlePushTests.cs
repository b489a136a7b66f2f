using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Tests.Api;

/// <summary>Bundles ride the SyncEntries stream: all of them first, then every change the moment it happens.</summary>
public class BundlePushTests
{
    private static byte[] SelfSignedCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        return cert.RawData;
    }

    [Fact]
    public async Task FirstMessageCarriesAllBundles_ThenFederatedSetDeleteAndCaRotationArePushed()
    {
        await using var server = await ServerFixture.StartAsync();
        var admin = server.Admin();
        var partnerCa = SelfSignedCa("partner");
        await admin.SetFederatedBundleAsync(new V1.SetFederatedBundleRequest { TrustDomain = "partner.com", X509Authorities = { ByteString.CopyFrom(partnerCa) } });
        var (node, _) = await server.AttestAsync("spiffe://agentvault.com/spire-agent");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = server.AgentClient(node).SyncEntries(new V1.SyncEntriesRequest(), cancellationToken: cts.Token);
        var stream = call.ResponseStream;
        Assert.True(await stream.MoveNext(cts.Token));
        var first = stream.Current.Bundles;
        Assert.Equal("agentvault.com", first.Bundle.TrustDomain);
        Assert.Equal(server.Bundle().Authorities.Select(a => a.RawData), first.Bundle.X509Authorities.Select(a => a.ToByteArray()));
        Assert.StartsWith("[{", first.Bundle.JwtAuthoritiesJwks, StringComparison.Ordinal);
        Assert.Equal(["partner.com"], first.Federated.Select(b => b.TrustDomain));

        // A second federated bundle: pushed with the whole set, no entry change.
        var otherCa = SelfSignedCa("other");
        var started = Stopwatch.StartNew();
        await admin.SetFederatedBundleAsync(new V1.SetFederatedBundleRequest { TrustDomain = "other.org", X509Authorities = { ByteString.CopyFrom(otherCa) } });
        Assert.True(await stream.MoveNext(cts.Token));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"push took {started.Elapsed}");
        Assert.Empty(stream.Current.Upserted);
        Assert.Equal(["other.org", "partner.com"], stream.Current.Bundles.Federated.Select(b => b.TrustDomain).Order());
        Assert.Equal(otherCa, stream.Current.Bundles.Federated.Single(b => b.TrustDomain == "other.org").X509Authorities.Single().ToByteArray());

        await admin.DeleteFederatedBundleAsync(new V1.TrustDomainRequest { TrustDomain = "partner.com" });
        Assert.True(await stream.MoveNext(cts.Token));
        Assert.Equal(["other.org"], stream.Current.Bundles.Federated.Select(b => b.TrustDomain));

        // Our CA prepares its successor: the new root reaches the agent before anything is signed with it.
        server.Host.Runtime.Ca.PrepareNext();
        await server.Host.Runtime.Bundles.PublishOwnAsync();
        Assert.True(await stream.MoveNext(cts.Token));
        Assert.Equal(2, stream.Current.Bundles.Bundle.X509Authorities.Count);

        // An entry change does not resend unchanged bundles.
        await admin.CreateEntryAsync(new V1.CreateEntryRequest
        {
            Entry = new V1.Entry { SpiffeId = "spiffe://agentvault.com/w", ParentId = "spiffe://agentvault.com/spire-agent", Selectors = { new V1.Selector { Type = "unix", Value = "uid:1" } } },
        });
        Assert.True(await stream.MoveNext(cts.Token));
        Assert.Equal(["spiffe://agentvault.com/w"], stream.Current.Upserted.Select(e => e.SpiffeId));
        Assert.Null(stream.Current.Bundles);
    }

    [Fact]
    public async Task BundleSet_IsReadOncePerChange_AndSharedByEveryCaller()
    {
        await using var server = await ServerFixture.StartAsync();
        var bundles = server.Host.Runtime.Bundles;
        var first = bundles.GetSetAsync();
        Assert.Same(first, bundles.GetSetAsync());
        Assert.Empty((await first).Federated);

        var partner = AgentFabric.Spiffe.TrustDomain.Parse("partner.com");
        using var ca = X509CertificateLoader.LoadCertificate(SelfSignedCa("partner"));
        await bundles.SetFederatedAsync(AgentFabric.Spiffe.Bundles.SpiffeBundle.FromX509Bundle(new AgentFabric.Spiffe.Bundles.X509.X509Bundle(partner, [ca])));
        var second = bundles.GetSetAsync();
        Assert.NotSame(first, second);
        Assert.Equal(["partner.com"], (await second).Federated.Select(b => b.TrustDomain));
        Assert.Equal((await first).Own, (await second).Own);
    }
}
