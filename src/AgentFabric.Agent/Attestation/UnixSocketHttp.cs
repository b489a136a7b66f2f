using System.Net.Sockets;

namespace AgentFabric.Agent.Attestation;

/// <summary>An HttpClient whose connections go to a Unix domain socket (the Docker Engine API, a local kubelet proxy).</summary>
internal static class UnixSocketHttp
{
    public static HttpClient Create(string socketPath, TimeSpan timeout) =>
        new(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
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
            },
        })
        {
            BaseAddress = new Uri("http://localhost/"),
            Timeout = timeout,
        };
}
