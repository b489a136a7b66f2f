using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.Server.Ca;

/// <summary>
/// The server's own X.509-SVID (<c>spiffe://&lt;td&gt;/spire/server</c>, SPIRE's server ID) presented on the Agent
/// API and the https_spiffe bundle endpoint. Re-signed at half life and whenever the active CA changes, so TLS
/// handshakes always get a certificate that agents' current bundles verify.
/// </summary>
public sealed class ServerSvidSource : IX509SvidSource
{
    private readonly X509Ca _ca;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private X509Svid? _svid;
    private string? _signedBy;

    public ServerSvidSource(X509Ca ca, TimeSpan ttl, TimeProvider time)
    {
        _ca = ca;
        _ttl = ttl;
        _time = time;
        Id = SpiffeId.FromSegments(ca.TrustDomain, "spire", "server");
    }

    public SpiffeId Id { get; }

    public X509Svid GetX509Svid()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (_svid is null || _signedBy != _ca.Active.KeyId || now >= _svid.Leaf.NotBefore.ToUniversalTime() + ((_svid.Leaf.NotAfter - _svid.Leaf.NotBefore) / 2))
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var issued = _ca.Sign(key.ExportSubjectPublicKeyInfo(), Id, ["localhost"], _ttl);
                var keyCopy = ECDsa.Create();
                keyCopy.ImportPkcs8PrivateKey(key.ExportPkcs8PrivateKey(), out _);
                _svid = X509Svid.Create(issued.Chain, keyCopy);
                _signedBy = _ca.Active.KeyId;
            }

            return _svid;
        }
    }
}
