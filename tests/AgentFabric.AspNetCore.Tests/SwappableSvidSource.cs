using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.AspNetCore.Tests;

/// <summary>An SVID source whose SVID a test replaces, as the Workload API's X509Source does on rotation.</summary>
internal sealed class SwappableSvidSource(X509Svid svid) : IX509SvidSource
{
    private X509Svid _svid = svid;

    public X509Svid GetX509Svid() => Volatile.Read(ref _svid);

    public void Rotate(X509Svid next) => Volatile.Write(ref _svid, next);
}
