using AgentFabric.Server.Config;
using AgentFabric.Server.Federation;
using AgentFabric.Spiffe.Bundles;
using Grpc.Core;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Api;

/// <summary>The federation RPCs: dynamic relationships and refreshing a bundle now (SPIRE's TrustDomain API).</summary>
internal sealed partial class AdminApi
{
    public override Task<V1.FederationRelationship> CreateFederationRelationship(V1.FederationRelationship request, ServerCallContext context) =>
        Timed("CreateFederationRelationship", async () =>
        {
            var relationship = ParseRelationship(request);
            var created = await relationships.CreateAsync(relationship, Bundle(request), context.CancellationToken).ConfigureAwait(false);
            return ToProto(created);
        });

    public override Task<V1.FederationRelationship> UpdateFederationRelationship(V1.FederationRelationship request, ServerCallContext context) =>
        Timed("UpdateFederationRelationship", async () =>
        {
            var relationship = ParseRelationship(request);
            var updated = await relationships.UpdateAsync(relationship, Bundle(request), context.CancellationToken).ConfigureAwait(false);
            return ToProto(updated);
        });

    public override Task<V1.FederationRelationship> GetFederationRelationship(V1.TrustDomainRequest request, ServerCallContext context) =>
        Timed("GetFederationRelationship", async () => ToProto(await relationships.GetAsync(request.TrustDomain, context.CancellationToken).ConfigureAwait(false)));

    public override Task<V1.ListFederationRelationshipsResponse> ListFederationRelationships(V1.Empty request, ServerCallContext context) =>
        Timed("ListFederationRelationships", async () =>
        {
            var response = new V1.ListFederationRelationshipsResponse();
            response.FederationRelationships.AddRange((await relationships.ListDynamicAsync(context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
            return response;
        });

    public override Task<V1.Empty> DeleteFederationRelationship(V1.TrustDomainRequest request, ServerCallContext context) =>
        Timed("DeleteFederationRelationship", async () =>
        {
            await relationships.DeleteAsync(request.TrustDomain, context.CancellationToken).ConfigureAwait(false);
            return new V1.Empty();
        });

    public override Task<V1.Bundle> RefreshBundle(V1.TrustDomainRequest request, ServerCallContext context) =>
        Timed("RefreshBundle", async () => ProtoMapping.ToProto(await refresher.RefreshNowAsync(request.TrustDomain, context.CancellationToken).ConfigureAwait(false)));

    private FederatedTrustDomainSettings ParseRelationship(V1.FederationRelationship request) =>
        relationships.Parse(request.TrustDomain, request.BundleEndpointUrl, request.BundleEndpointProfile, request.EndpointSpiffeId);

    private static SpiffeBundle? Bundle(V1.FederationRelationship request) =>
        request.TrustDomainBundle is { } b && (b.SpiffeBundleJson.Length > 0 || b.X509Authorities.Count > 0) ? ReadBundle(b) : null;

    private static V1.FederationRelationship ToProto(FederatedTrustDomainSettings r) => new()
    {
        TrustDomain = r.TrustDomain.Name,
        BundleEndpointUrl = r.BundleEndpointUrl.OriginalString,
        BundleEndpointProfile = r.Profile == BundleEndpointProfile.HttpsSpiffe ? "https_spiffe" : "https_web",
        EndpointSpiffeId = r.Profile == BundleEndpointProfile.HttpsSpiffe ? r.EndpointSpiffeId.ToString() : string.Empty,
    };
}
