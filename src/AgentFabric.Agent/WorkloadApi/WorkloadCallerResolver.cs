using AgentFabric.Agent.Attestation;
using AgentFabric.Agent.Identity;
using Grpc.Core;
using Microsoft.AspNetCore.Connections.Features;

namespace AgentFabric.Agent.WorkloadApi;

/// <summary>
/// The checks every Workload API call passes first: the security header (Workload Endpoint §3, else
/// InvalidArgument), then attestation of the peer from the socket's kernel credentials by every attestor.
/// </summary>
internal sealed class WorkloadCallerResolver(IEnumerable<IWorkloadAttestor> attestors)
{
    private readonly IWorkloadAttestor[] _attestors = [.. attestors];

    public async Task<WorkloadCaller> ResolveAsync(ServerCallContext context)
    {
        // Workload Endpoint §3, §6: without "workload.spiffe.io: true" the call is rejected with InvalidArgument.
        var header = context.RequestHeaders.Get("workload.spiffe.io");
        if (header is null || header.IsBinary || header.Value != "true")
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "security header missing from request"));
        }

        var socket = context.GetHttpContext().Features.Get<IConnectionSocketFeature>()?.Socket
            ?? throw new RpcException(new Status(StatusCode.Internal, "agent: the connection exposes no socket to attest"));
        try
        {
            var process = PeerCredentials.Read(socket);
            var selectors = new HashSet<Selector>();
            foreach (var attestor in _attestors)
            {
                selectors.UnionWith(await attestor.AttestAsync(process, context.CancellationToken).ConfigureAwait(false));
            }

            return new WorkloadCaller(process, selectors);
        }
        catch (WorkloadAttestationException ex)
        {
            // Workload Endpoint §6: PermissionDenied lets the client retry with a backoff (a pid-reuse race passes).
            throw new RpcException(new Status(StatusCode.PermissionDenied, "workload attestation failed: " + ex.Message));
        }
    }

    public static RpcException NoIdentity(WorkloadCaller caller) =>
        new(new Status(StatusCode.PermissionDenied, $"no identity issued (selectors: {caller.DescribeSelectors()})"));
}
