using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.Spiffe.Tests.Tls;

/// <summary>An SVID source whose SVID a test swaps, as the Workload API's X509Source does on rotation.</summary>
internal sealed class SwappableSvidSource(X509Svid svid) : IX509SvidSource
{
    private X509Svid _svid = svid;

    public int Calls;

    public X509Svid GetX509Svid()
    {
        Interlocked.Increment(ref Calls);
        return Volatile.Read(ref _svid);
    }

    public void Set(X509Svid svid) => Volatile.Write(ref _svid, svid);
}
