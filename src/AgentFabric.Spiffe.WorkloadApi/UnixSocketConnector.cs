using System.Net.Sockets;

namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>
/// HTTP (and so gRPC) over a Unix domain socket: a <see cref="SocketsHttpHandler.ConnectCallback"/> that opens every
/// connection to one socket path, whatever host the request names. The Workload API client uses it for
/// <c>unix://</c> addresses; the agent's Docker and kubelet clients and the server's Admin API channel use it too.
/// </summary>
public static class UnixSocketConnector
{
    /// <summary>A connect callback that connects to <paramref name="socketPath"/>; the stream owns the socket.</summary>
    /// <exception cref="ArgumentException"><paramref name="socketPath"/> is null or empty.</exception>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        return async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
    }

    /// <summary>A handler whose every connection goes to <paramref name="socketPath"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="socketPath"/> is null or empty.</exception>
    public static SocketsHttpHandler CreateHandler(string socketPath) => new() { ConnectCallback = ConnectCallback(socketPath) };
}
