using System.Security.Cryptography;
using AgentFabric.Agent.Identity;
using AgentFabric.Agent.Node;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.Agent.Tests.Node;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class NodeIdentityStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("af-node-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<X509Svid> NodeSvidAsync(LocalCaIdentityProvider ca)
    {
        var entry = new RegistrationEntry("node", SpiffeId.Parse("spiffe://example.org/spire/agent/join_token/t"), [Selector.Parse("join_token:t")]);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=n", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        return X509Svid.Create(await ca.SignX509SvidAsync(entry, csr, CancellationToken.None), key);
    }

    [Fact]
    public async Task SavedSvidAndBundle_LoadBack_WithTheKeyOwnerOnly()
    {
        using var ca = new LocalCaIdentityProvider();
        var svid = await NodeSvidAsync(ca);
        var store = new NodeIdentityStore(Path.Combine(_dir, "data"));
        Assert.Null(store.LoadSvid());
        Assert.Null(store.LoadBundle(ca.TrustDomain));

        store.Save(svid, ca.Bundle);
        var loaded = store.LoadSvid()!;
        Assert.Equal((svid.Id, svid.Leaf.SerialNumber), (loaded.Id, loaded.Leaf.SerialNumber));
        Assert.True(store.LoadBundle(ca.TrustDomain)!.ContentEquals(ca.Bundle));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "data", "agent_svid.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_dir, "data")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "data"), "*.tmp"));
    }

    [Fact]
    public async Task CorruptSvid_IsAnErrorThatSaysWhatToDo()
    {
        using var ca = new LocalCaIdentityProvider();
        var store = new NodeIdentityStore(_dir);
        store.Save(await NodeSvidAsync(ca), ca.Bundle);
        File.WriteAllText(Path.Combine(_dir, "agent_svid.pem"), "garbage");
        var e = Assert.Throws<InvalidDataException>(store.LoadSvid);
        Assert.StartsWith($"agent: the node SVID in \"{_dir}\" is unreadable (", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("); remove agent_svid.pem and agent_svid.key and attest with a new join token", e.Message, StringComparison.Ordinal);
    }
}
