using AgentFabric.Server.Attestation;
using AgentFabric.Server.Ca;
using AgentFabric.Server.Datastore;
using AgentFabric.Server.Federation;
using AgentFabric.Server.Registration;
using AgentFabric.Spiffe.Bundles;
using Grpc.Core;

namespace AgentFabric.Server.Api;

/// <summary>Maps the server's specific errors to gRPC status codes, keeping their exact message.</summary>
internal static class RpcErrors
{
    public static async Task<T> Run<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (Map(e) is { } rpc)
        {
            throw rpc;
        }
    }

    public static RpcException? Map(Exception e) => e switch
    {
        RegistrationException r => new RpcException(new Status(StatusOf(r.Error), r.Message)),
        AttestationException a => new RpcException(new Status(StatusCode.PermissionDenied, a.Message)),
        CaException c => new RpcException(new Status(StatusCode.InvalidArgument, c.Message)),
        FederationException f => new RpcException(new Status(StatusCode.InvalidArgument, f.Message)),
        SpiffeBundleException b => new RpcException(new Status(StatusCode.InvalidArgument, b.Message)),
        DatastoreException { Error: DatastoreError.Unavailable } d => new RpcException(new Status(StatusCode.Unavailable, d.Message)),
        _ => null,
    };

    /// <summary>The gRPC status of a registration error (also each failed entry's status in a batch).</summary>
    public static StatusCode StatusOf(RegistrationError error) => error switch
    {
        RegistrationError.NotFound => StatusCode.NotFound,
        RegistrationError.AlreadyExists => StatusCode.AlreadyExists,
        RegistrationError.FailedPrecondition => StatusCode.FailedPrecondition,
        RegistrationError.PermissionDenied => StatusCode.PermissionDenied,
        RegistrationError.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.InvalidArgument,
    };
}
