using Grpc.Core;

namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>
/// A Workload API call failed or returned data that breaks the specification; the message says which. Messages start
/// with "workloadapi: ". <see cref="StatusCode"/> carries the gRPC status when the endpoint answered with one.
/// </summary>
public sealed class WorkloadApiException : Exception
{
    public WorkloadApiException()
        : base("workloadapi: call failed")
    {
    }

    public WorkloadApiException(string message)
        : base(message)
    {
    }

    public WorkloadApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        if (innerException is RpcException rpc)
        {
            StatusCode = rpc.StatusCode;
        }
    }

    /// <summary>The gRPC status the endpoint returned, or null when the failure was local (bad address, bad data).</summary>
    public StatusCode? StatusCode { get; }
}
