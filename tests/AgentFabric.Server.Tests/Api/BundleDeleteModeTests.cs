using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Tests.Api;

/// <summary><c>bundle delete -mode restrict|delete|dissociate</c> as SPIRE, through the Admin API.</summary>
public class BundleDeleteModeTests
{
    [Theory]
    [InlineData("", "A:other.org,partner.com|B:partner.com|C:", true)]
    [InlineData("restrict", "A:other.org,partner.com|B:partner.com|C:", true)]
    [InlineData("delete", "C:", false)]
    [InlineData("dissociate", "A:other.org|B:|C:", false)]
    public async Task Modes(string mode, string entriesAfter, bool refused)
    {
        await using var server = await ServerFixture.StartAsync();
        var admin = server.Admin();
        foreach (var td in new[] { "partner.com", "other.org" })
        {
            await admin.SetFederatedBundleAsync(new V1.SetFederatedBundleRequest { TrustDomain = td, X509Authorities = { ByteString.CopyFrom(SelfSignedCa(td)) } });
        }

        await Create(admin, "A", "partner.com", "other.org");
        await Create(admin, "B", "partner.com");
        await Create(admin, "C");

        var request = new V1.TrustDomainRequest { TrustDomain = "partner.com", Mode = mode };
        if (refused)
        {
            var e = await Assert.ThrowsAsync<RpcException>(async () => await admin.DeleteFederatedBundleAsync(request));
            Assert.Equal((StatusCode.FailedPrecondition, "bundle: cannot delete bundle; federated with 2 registration entries"), (e.StatusCode, e.Status.Detail));
        }
        else
        {
            await admin.DeleteFederatedBundleAsync(request);
        }

        var entries = (await admin.ListEntriesAsync(new V1.ListEntriesRequest())).Entries
            .Select(x => x.SpiffeId[^1..] + ":" + string.Join(',', x.FederatesWith.Order(StringComparer.Ordinal)));
        Assert.Equal(entriesAfter, string.Join('|', entries));
        var bundles = (await admin.ListFederatedBundlesAsync(new V1.ListFederatedBundlesRequest())).Bundles.Select(b => b.TrustDomain);
        Assert.Equal(refused ? ["other.org", "partner.com"] : ["other.org"], bundles.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task UnsupportedMode_InvalidArgument()
    {
        await using var server = await ServerFixture.StartAsync();

        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await server.Admin().DeleteFederatedBundleAsync(new V1.TrustDomainRequest { TrustDomain = "partner.com", Mode = "purge" }));

        Assert.Equal((StatusCode.InvalidArgument, "bundle: unsupported mode \"purge\""), (e.StatusCode, e.Status.Detail));
    }

    private static Task<V1.Entry> Create(V1.AdminService.AdminServiceClient admin, string name, params string[] federatesWith) =>
        admin.CreateEntryAsync(new V1.CreateEntryRequest
        {
            Entry = new V1.Entry
            {
                SpiffeId = "spiffe://agentvault.com/service/" + name,
                ParentId = "spiffe://agentvault.com/spire-agent",
                Selectors = { new V1.Selector { Type = "docker", Value = "label:name:" + name } },
                FederatesWith = { federatesWith },
            },
        }).ResponseAsync;

    private static byte[] SelfSignedCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        return cert.RawData;
    }
}
