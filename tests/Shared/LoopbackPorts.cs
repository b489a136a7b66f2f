using System.Net;
using System.Net.Sockets;

namespace AgentFabric.Testing;

/// <summary>
/// TCP ports on 127.0.0.1 for servers a test starts. A port the OS hands out for a bind to port 0 comes from the
/// ephemeral range, where the next outgoing connection of any test may take it before the server binds it; so ports
/// come from below that range, from a per-process random start, never twice in one process, and only when a bind
/// succeeds right now. Test projects run in parallel processes: the random start keeps them apart.
/// </summary>
internal static class LoopbackPorts
{
    private const int First = 20000;
    private const int Count = 12000; // 20000-31999: below Linux's default ephemeral range (32768-60999)

    private static int s_next = Random.Shared.Next(Count);

    public static int Next()
    {
        for (var attempt = 0; attempt < Count; attempt++)
        {
            var port = First + (Interlocked.Increment(ref s_next) % Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use by another process or test: try the next one.
            }
        }

        throw new InvalidOperationException($"no free loopback port in {First}-{First + Count - 1}");
    }
}
