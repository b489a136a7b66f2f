using AgentFabric.Spiffe.WorkloadApi;
using Grpc.Net.Client;

namespace AgentFabric.Server.Api;

/// <summary>A gRPC channel to the Admin API on the server's Unix socket (what the CLI uses).</summary>
public static class AdminChannel
{
    public static GrpcChannel Create(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        var handler = UnixSocketConnector.CreateHandler(socketPath);
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    public static V1.AdminService.AdminServiceClient Client(GrpcChannel channel) => new(channel);
}
