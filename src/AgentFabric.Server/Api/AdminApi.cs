using System.Text;
using AgentFabric.Server.Ca;
using AgentFabric.Server.Datastore;
using AgentFabric.Server.Federation;
using AgentFabric.Server.Registration;
using AgentFabric.Server.Telemetry;
using AgentFabric.Spiffe.Bundles;
using Google.Protobuf;
using Grpc.Core;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Api;

/// <summary>The Admin API (Unix socket only): a thin layer over <see cref="RegistrationService"/>,
/// <see cref="BundleService"/>, <see cref="FederationRelationships"/> and <see cref="AdminSvidMinter"/>.</summary>
internal sealed partial class AdminApi(
    RegistrationService registration,
    BundleService bundles,
    FederationRelationships relationships,
    BundleRefresher refresher,
    AdminSvidMinter minter,
    ServerMetrics metrics) : V1.AdminService.AdminServiceBase
{
    public override Task<V1.Entry> CreateEntry(V1.CreateEntryRequest request, ServerCallContext context) =>
        Timed("CreateEntry", async () => ProtoMapping.ToProto(await registration.CreateEntryAsync(ProtoMapping.FromProto(request.Entry, registration.TrustDomain) with { Revision = 0 }, context.CancellationToken).ConfigureAwait(false)));

    public override Task<V1.Entry> UpdateEntry(V1.UpdateEntryRequest request, ServerCallContext context) =>
        Timed("UpdateEntry", async () =>
        {
            RegistrationService.RequireEntryIdToUpdate(request.Entry?.Id);
            var entry = ProtoMapping.FromProto(request.Entry, registration.TrustDomain);
            return ProtoMapping.ToProto(await registration.UpdateEntryAsync(entry, context.CancellationToken).ConfigureAwait(false));
        });

    public override Task<V1.Entry> DeleteEntry(V1.EntryIdRequest request, ServerCallContext context) =>
        Timed("DeleteEntry", async () => ProtoMapping.ToProto(await registration.DeleteEntryAsync(request.Id, context.CancellationToken).ConfigureAwait(false)));

    public override Task<V1.Entry> GetEntry(V1.EntryIdRequest request, ServerCallContext context) =>
        Timed("GetEntry", async () => ProtoMapping.ToProto(await registration.GetEntryAsync(request.Id, context.CancellationToken).ConfigureAwait(false)));

    public override Task<V1.ListEntriesResponse> ListEntries(V1.ListEntriesRequest request, ServerCallContext context) =>
        Timed("ListEntries", async () =>
        {
            var filter = new EntryFilter
            {
                SpiffeId = Optional(request.BySpiffeId),
                ParentId = Optional(request.ByParentId),
                Selectors = request.BySelectors.Select(s => new Selector(s.Type, s.Value)).ToArray(),
                FederatesWith = request.ByFederatesWith.Length == 0 ? null : BundleService.ParseTrustDomain(request.ByFederatesWith).Name,
                Downstream = request.HasByDownstream ? request.ByDownstream : null,
            };
            var response = new V1.ListEntriesResponse();
            response.Entries.AddRange((await registration.ListEntriesAsync(filter, context.CancellationToken).ConfigureAwait(false)).Select(ProtoMapping.ToProto));
            return response;
        });

    public override Task<V1.Bundle> GetBundle(V1.Empty request, ServerCallContext context) =>
        Timed("GetBundle", async () => ProtoMapping.ToProto(await bundles.GetOwnAsync(context.CancellationToken).ConfigureAwait(false)));

    public override Task<V1.ListFederatedBundlesResponse> ListFederatedBundles(V1.ListFederatedBundlesRequest request, ServerCallContext context) =>
        Timed("ListFederatedBundles", async () =>
        {
            var response = new V1.ListFederatedBundlesResponse();
            response.Bundles.AddRange((await bundles.ListFederatedAsync(Optional(request.TrustDomain), context.CancellationToken).ConfigureAwait(false)).Select(ProtoMapping.ToProto));
            return response;
        });

    public override Task<V1.Bundle> SetFederatedBundle(V1.SetFederatedBundleRequest request, ServerCallContext context) =>
        Timed("SetFederatedBundle", async () =>
        {
            var bundle = ReadBundle(request);
            var stored = await bundles.SetFederatedAsync(bundle, context.CancellationToken).ConfigureAwait(false);
            return ProtoMapping.ToProto(stored);
        });

    public override Task<V1.Empty> DeleteFederatedBundle(V1.TrustDomainRequest request, ServerCallContext context) =>
        Timed("DeleteFederatedBundle", async () =>
        {
            await FederatedBundleDeletion.DeleteAsync(bundles, registration, request.TrustDomain, BundleDeleteModes.Parse(request.Mode), context.CancellationToken).ConfigureAwait(false);
            return new V1.Empty();
        });

    public override Task<V1.JoinToken> CreateJoinToken(V1.CreateJoinTokenRequest request, ServerCallContext context) =>
        Timed("CreateJoinToken", async () =>
        {
            var ttl = request.Ttl == 0 ? RegistrationService.DefaultJoinTokenTtl : TimeSpan.FromSeconds(request.Ttl);
            var (token, expiresAt) = await registration.CreateJoinTokenAsync(ttl, Optional(request.AgentId), context.CancellationToken).ConfigureAwait(false);
            return new V1.JoinToken { Value = token, ExpiresAt = expiresAt.ToUnixTimeSeconds() };
        });

    public override Task<V1.ListAgentsResponse> ListAgents(V1.Empty request, ServerCallContext context) =>
        Timed("ListAgents", async () =>
        {
            var response = new V1.ListAgentsResponse();
            response.Agents.AddRange((await registration.ListAgentsAsync(context.CancellationToken).ConfigureAwait(false)).Select(ProtoMapping.ToProto));
            return response;
        });

    public override Task<V1.ListAgentsResponse> ListAgentsByFilter(V1.ListAgentsByFilterRequest request, ServerCallContext context) =>
        Timed("ListAgentsByFilter", async () =>
        {
            if (request.ByExpiresBefore < 0)
            {
                throw new RegistrationException(RegistrationError.InvalidArgument,
                    string.Create(System.Globalization.CultureInfo.InvariantCulture, $"registration: by_expires_before must be a Unix time in seconds, got {request.ByExpiresBefore}"));
            }

            var expiresBefore = request.ByExpiresBefore == 0 ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeSeconds(Math.Min(request.ByExpiresBefore, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
            var agents = await registration.ListAgentsAsync(expiresBefore, request.HasByBanned ? request.ByBanned : null, context.CancellationToken).ConfigureAwait(false);
            var response = new V1.ListAgentsResponse();
            response.Agents.AddRange(agents.Select(ProtoMapping.ToProto));
            return response;
        });

    public override Task<V1.Agent> GetAgent(V1.AgentIdRequest request, ServerCallContext context) =>
        Timed("GetAgent", async () => ProtoMapping.ToProto(await registration.GetAgentAsync(request.Id, context.CancellationToken).ConfigureAwait(false)));

    public override Task<V1.Empty> EvictAgent(V1.AgentIdRequest request, ServerCallContext context) =>
        Timed("EvictAgent", async () =>
        {
            await registration.EvictAgentAsync(request.Id, context.CancellationToken).ConfigureAwait(false);
            return new V1.Empty();
        });

    public override Task<V1.Empty> BanAgent(V1.AgentIdRequest request, ServerCallContext context) =>
        Timed("BanAgent", async () =>
        {
            await registration.BanAgentAsync(request.Id, context.CancellationToken).ConfigureAwait(false);
            return new V1.Empty();
        });

    public override Task<V1.Health> GetHealth(V1.Empty request, ServerCallContext context) =>
        Task.FromResult(new V1.Health
        {
            Ready = true,
            TrustDomain = registration.TrustDomain.Name,
            Entries = registration.Cache.Count,
            Revision = registration.Cache.Revision,
        });

    public override Task<V1.BatchCreateEntryResponse> BatchCreateEntry(V1.BatchCreateEntryRequest request, ServerCallContext context) =>
        Timed("BatchCreateEntry", async () =>
        {
            var results = await registration.CreateEntriesAsync(
                request.Entries,
                p => ProtoMapping.FromProto(p, registration.TrustDomain) with { Revision = 0 },
                context.CancellationToken).ConfigureAwait(false);
            var response = new V1.BatchCreateEntryResponse();
            foreach (var r in results)
            {
                response.Results.Add(r.Stored is { } stored
                    ? new V1.BatchCreateEntryResponse.Types.Result { Status = new V1.EntryStatus { Code = 0, Message = "OK" }, Entry = ProtoMapping.ToProto(stored) }
                    : new V1.BatchCreateEntryResponse.Types.Result { Status = new V1.EntryStatus { Code = (int)RpcErrors.StatusOf(r.Error!.Error), Message = r.Error.Message } });
            }

            return response;
        });

    private static SpiffeBundle ReadBundle(V1.SetFederatedBundleRequest request)
    {
        var td = BundleService.ParseTrustDomain(request.TrustDomain);
        return request.SpiffeBundleJson.Length > 0
            ? SpiffeBundle.Parse(td, Encoding.UTF8.GetBytes(request.SpiffeBundleJson))
            : new SpiffeBundle(td, request.X509Authorities.Select(ReadCertificate), []);
    }

    private static string? Optional(string value) => value.Length == 0 ? null : value;

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 ReadCertificate(ByteString der)
    {
        try
        {
            return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der.Span);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new RegistrationException(RegistrationError.InvalidArgument, $"bundle: an X.509 authority is not a DER certificate: {e.Message}", e);
        }
    }

    private async Task<T> Timed<T>(string method, Func<Task<T>> call)
    {
        var start = ServerMetrics.Start();
        try
        {
            return await RpcErrors.Run(call).ConfigureAwait(false);
        }
        finally
        {
            metrics.ApiCall("admin." + method, System.Diagnostics.Stopwatch.GetElapsedTime(start));
        }
    }
}
