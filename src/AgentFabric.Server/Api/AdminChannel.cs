using System.Net.Sockets;
using AgentFabric.Spiffe.WorkloadApi;
using Grpc.Net.Client;

namespace AgentFabric.Server.Api;

/// <summary>A gRPC channel to the Admin API on the server's Unix socket (what the CLI uses).</summary>
public static class AdminChannel
{
    /// <summary>A channel whose connections go to <paramref name="socketPath"/>. A call that cannot connect fails
    /// with Unavailable whose <c>Status.DebugException</c> holds an <see cref="AdminSocketException"/> naming the path.</summary>
    /// <exception cref="ArgumentException"><paramref name="socketPath"/> is null or empty.</exception>
    public static GrpcChannel Create(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        var connect = UnixSocketConnector.ConnectCallback(socketPath);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                try
                {
                    return await connect(context, ct).ConfigureAwait(false);
                }
                catch (SocketException e) when (!File.Exists(socketPath))
                {
                    throw new AdminSocketException($"no socket at {socketPath}", e);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    throw new AdminSocketException($"nothing is listening on {socketPath} (is the server running?)", e);
                }
            },
        };
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    public static V1.AdminService.AdminServiceClient Client(GrpcChannel channel) => new(channel);
}
