using System.Buffers.Binary;
using System.Net.Sockets;

namespace AgentFabric.Agent.Attestation;

/// <summary>Reads the peer of a connected Unix domain socket from the kernel (Linux SO_PEERCRED: pid, uid, gid as of
/// connect()).</summary>
public static class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <exception cref="WorkloadAttestationException">The socket is not a Unix socket or the kernel refused.</exception>
    public static WorkloadProcess Read(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.AddressFamily != AddressFamily.Unix)
        {
            throw new WorkloadAttestationException(
                $"peer credentials: the connection is {socket.AddressFamily}, not a Unix domain socket");
        }

        // struct ucred { pid_t pid; uid_t uid; gid_t gid; } — three 32-bit values in host order.
        Span<byte> buffer = stackalloc byte[12];
        int length;
        try
        {
            length = socket.GetRawSocketOption(SolSocket, SoPeerCred, buffer);
        }
        catch (SocketException ex)
        {
            throw new WorkloadAttestationException($"peer credentials: SO_PEERCRED failed: {ex.SocketErrorCode}", ex);
        }

        if (length != 12)
        {
            throw new WorkloadAttestationException($"peer credentials: SO_PEERCRED returned {length} bytes, expected 12");
        }

        return new WorkloadProcess(
            BinaryPrimitives.ReadInt32LittleEndian(buffer),
            BinaryPrimitives.ReadInt32LittleEndian(buffer[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(buffer[8..]));
    }
}
