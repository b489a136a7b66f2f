using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Server.Tests.Api;
using AgentFabric.Spiffe.Svid.X509;
using Google.Protobuf;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Tests.Ca;

public class UpstreamCaHostTests
{
    [Fact]
    public async Task ServerUnderAnUpstreamCa_ServesChainsThatVerifyAgainstTheUpstreamRoot()
    {
        var dir = new TempDirectory();
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Corp Root", rootKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllText(dir.Combine("root.crt"), root.ExportCertificatePem());
        File.WriteAllText(dir.Combine("root.key"), rootKey.ExportPkcs8PrivateKeyPem());

        await using var server = await ServerFixture.StartAsync(
            extraJson: $$""", "upstream_authority": { "cert_file_path": "{{dir.Combine("root.crt")}}", "key_file_path": "{{dir.Combine("root.key")}}" }""",
            dir: dir);
        Assert.Equal([root.Thumbprint], server.Host.Runtime.Ca.BundleAuthorities.Select(c => c.Thumbprint));

        // Attestation over TLS verifies the server's chain (leaf + our intermediate) against the upstream root.
        var (node, _) = await server.AttestAsync("spiffe://agentvault.com/spire-agent");
        Assert.Equal(2, node.Certificates.Count);
        var entry = await server.Admin().CreateEntryAsync(new V1.CreateEntryRequest
        {
            Entry = new V1.Entry { SpiffeId = "spiffe://agentvault.com/w", ParentId = "spiffe://agentvault.com/spire-agent", Selectors = { new V1.Selector { Type = "unix", Value = "uid:1" } } },
        });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signed = await server.AgentClient(node).SignX509SvidsAsync(new V1.SignX509SvidsRequest { Requests = { new V1.SvidRequest { EntryId = entry.Id, Csr = ByteString.CopyFrom(ServerFixture.Csr(key)) } } });
        var chain = signed.Results[0].Svid.CertChain.Select(c => X509CertificateLoader.LoadCertificate(c.Span)).ToList();
        Assert.Equal(2, chain.Count);
        Assert.Equal("CN=Corp Root", chain[1].Issuer);
        Assert.Equal("spiffe://agentvault.com/w", X509SvidVerifier.Verify(chain, server.Bundle(), TimeProvider.System).Id.ToString());
    }
}
