using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Server.Ca;
using AgentFabric.Server.Config;
using AgentFabric.Server.KeyManagement;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Tests.Ca;

internal static class CaFixture
{
    public static readonly TrustDomain Td = TrustDomain.Parse("example.org");

    public static X509Ca Create(string dir, IKeyManager keys, TimeProvider time, UpstreamAuthority? upstream = null)
    {
        var ca = new X509Ca(Td, new CaSubject(["US"], ["AgentVault"], "AgentVault CA"), TimeSpan.FromHours(24), keys,
            new CaJournal(Path.Combine(dir, "ca-journal.json")), upstream, time);
        ca.Initialize();
        return ca;
    }

    public static byte[] Csr(ECDsa key, string subject = "CN=ignored")
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        return request.CreateSigningRequest();
    }
}
