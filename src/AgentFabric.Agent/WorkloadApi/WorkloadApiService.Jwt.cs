using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.WorkloadApi.Proto;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentFabric.Agent.WorkloadApi;

/// <summary>The JWT-SVID profile (Workload API §6.2).</summary>
internal sealed partial class WorkloadApiService
{
    public override async Task<JWTSVIDResponse> FetchJWTSVID(JWTSVIDRequest request, ServerCallContext context)
    {
        var caller = await resolver.ResolveAsync(context).ConfigureAwait(false);
        // Workload API §4.5, §6.2.1: audience is mandatory.
        if (request.Audience.Count == 0 || request.Audience.Any(string.IsNullOrEmpty))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "audience must be specified"));
        }

        SpiffeId? wanted = null;
        if (request.SpiffeId.Length > 0)
        {
            if (!SpiffeId.TryParse(request.SpiffeId, out var id, out var error))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"invalid requested SPIFFE ID: {error}"));
            }

            wanted = id;
        }

        var entries = caller.Match(provider.Current);
        if (wanted is { } only)
        {
            entries = [.. entries.Where(e => e.SpiffeId == only)];
        }

        if (entries.Count == 0)
        {
            throw wanted is null
                ? WorkloadCallerResolver.NoIdentity(caller)
                : new RpcException(new Status(
                    StatusCode.PermissionDenied,
                    $"no identity issued for {wanted} (selectors: {caller.DescribeSelectors()})"));
        }

        var response = new JWTSVIDResponse();
        var seen = new HashSet<SpiffeId>();
        foreach (var entry in entries.Where(e => seen.Add(e.SpiffeId)))
        {
            var svid = await Unavailable(() => cache.GetJwtSvidAsync(entry, [.. request.Audience], context.CancellationToken), entry)
                .ConfigureAwait(false);
            response.Svids.Add(new JWTSVID { SpiffeId = svid.Id.ToString(), Svid = svid.Token, Hint = entry.Hint });
        }

        return response;
    }

    public override async Task<ValidateJWTSVIDResponse> ValidateJWTSVID(ValidateJWTSVIDRequest request, ServerCallContext context)
    {
        _ = await resolver.ResolveAsync(context).ConfigureAwait(false);
        // Workload API §6.2.3: both fields are mandatory.
        if (request.Audience.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "audience must be specified"));
        }

        if (request.Svid.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "svid must be specified"));
        }

        JwtSvid svid;
        try
        {
            // Workload API §6.2.3, §6.3: full JWT-SVID validation with the bundle of the subject's trust domain.
            svid = JwtSvid.Parse(request.Svid, provider.Current.JwtBundles, [request.Audience]);
        }
        catch (JwtSvidException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }

        return new ValidateJWTSVIDResponse
        {
            SpiffeId = svid.Id.ToString(),
            Claims = JsonParser.Default.Parse<Struct>(svid.Claims.GetRawText()),
        };
    }
}
