using Grpc.Core;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Api;

/// <summary>x509 mint and jwt mint: SVIDs by SPIFFE ID, without a registration entry (SPIRE's SVID API).</summary>
internal sealed partial class AdminApi
{
    public override Task<V1.X509Svid> MintX509Svid(V1.AdminMintX509SvidRequest request, ServerCallContext context) =>
        Timed("MintX509Svid", () => Task.FromResult(ProtoMapping.ToProto(
            minter.MintX509(request.Csr.Span, request.SpiffeId, request.DnsNames, request.Ttl))));

    public override Task<V1.MintedJwtSvid> MintJwtSvid(V1.AdminMintJwtSvidRequest request, ServerCallContext context) =>
        Timed("MintJwtSvid", () =>
        {
            var (id, token, expiry) = minter.MintJwt(request.SpiffeId, request.Audience, request.Ttl);
            return Task.FromResult(new V1.MintedJwtSvid { SpiffeId = id.ToString(), Token = token, ExpiresAt = expiry.ToUnixTimeSeconds() });
        });
}
