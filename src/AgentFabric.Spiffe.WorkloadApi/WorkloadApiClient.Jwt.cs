using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.WorkloadApi.Proto;
using Grpc.Core;

namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>The JWT-SVID profile (Workload API §6).</summary>
public sealed partial class WorkloadApiClient
{
    /// <summary>
    /// The JWT-SVID for <paramref name="audience"/> (plus <paramref name="extraAudiences"/>): of <paramref name="subject"/>
    /// when given, else the workload's first (default) identity (Workload API §6.2.1).
    /// </summary>
    /// <exception cref="WorkloadApiException">The call failed (PermissionDenied included) or the answer is invalid.</exception>
    public async Task<JwtSvid> FetchJwtSvidAsync(
        string audience,
        IEnumerable<string>? extraAudiences = null,
        SpiffeId? subject = null,
        CancellationToken cancellationToken = default)
    {
        var svids = await FetchJwtSvidsAsync(audience, extraAudiences, subject, cancellationToken).ConfigureAwait(false);
        return svids[0];
    }

    /// <summary>One JWT-SVID per identity the workload is entitled to (only <paramref name="subject"/> when given).</summary>
    /// <exception cref="WorkloadApiException">The call failed or the answer is invalid.</exception>
    public async Task<IReadOnlyList<JwtSvid>> FetchJwtSvidsAsync(
        string audience,
        IEnumerable<string>? extraAudiences = null,
        SpiffeId? subject = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        var request = new JWTSVIDRequest();
        request.Audience.Add(audience);
        if (extraAudiences is not null)
        {
            foreach (var extra in extraAudiences)
            {
                ArgumentException.ThrowIfNullOrEmpty(extra, nameof(extraAudiences));
                request.Audience.Add(extra);
            }
        }

        if (subject is { IsZero: false } id)
        {
            request.SpiffeId = id.ToString();
        }

        JWTSVIDResponse response;
        try
        {
            response = await _client.FetchJWTSVIDAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (RpcException ex)
        {
            throw Failure("FetchJWTSVID", ex);
        }

        var svids = WorkloadApiMessages.ToJwtSvids(response, [.. request.Audience]);
        if (subject is { IsZero: false } wanted && svids.Any(s => s.Id != wanted))
        {
            throw new WorkloadApiException($"workloadapi: FetchJWTSVID returned an SVID for another identity than \"{wanted}\"");
        }

        return svids;
    }

    /// <summary>
    /// Asks the endpoint to validate <paramref name="token"/> for <paramref name="audience"/> (Workload API §6.2.3, §6.3) and
    /// returns the token's claims.
    /// </summary>
    /// <exception cref="WorkloadApiException">The endpoint rejected the token (InvalidArgument with its reason) or the
    /// call failed.</exception>
    public async Task<JwtSvid> ValidateJwtSvidAsync(
        string token,
        string audience,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(audience);
        ValidateJWTSVIDResponse response;
        try
        {
            response = await _client.ValidateJWTSVIDAsync(
                new ValidateJWTSVIDRequest { Audience = audience, Svid = token },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (RpcException ex)
        {
            throw Failure("ValidateJWTSVID", ex);
        }

        // Workload API §6.2.3: every response field is mandatory.
        if (response.SpiffeId.Length == 0)
        {
            throw new WorkloadApiException("workloadapi: ValidateJWTSVIDResponse has an empty spiffe_id");
        }

        JwtSvid svid;
        try
        {
            // The endpoint verified the signature; the claims are read (and rechecked) locally.
            svid = JwtSvid.ParseInsecure(token, [audience]);
        }
        catch (JwtSvidException ex)
        {
            throw new WorkloadApiException($"workloadapi: the validated token cannot be read: {ex.Message}", ex);
        }

        if (svid.Id.ToString() != response.SpiffeId)
        {
            throw new WorkloadApiException(
                $"workloadapi: ValidateJWTSVID says \"{response.SpiffeId}\" but the token's subject is \"{svid.Id}\"");
        }

        return svid;
    }
}
