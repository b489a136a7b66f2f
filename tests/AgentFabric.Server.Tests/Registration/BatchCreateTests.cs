using AgentFabric.Server.Registration;
using AgentFabric.Server.Tests.Api;
using AgentFabric.Server.Tests.Datastore;
using AgentFabric.Spiffe;
using Grpc.Core;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Tests.Registration;

/// <summary>Batch entry creation (SPIRE's BatchCreateEntry): each entry validated as CreateEntry does, bad ones
/// reported with their reason while the others are created.</summary>
public class BatchCreateTests
{
    private static readonly TrustDomain s_td = TrustDomain.Parse("agentvault.com");

    private static RegistrationEntry Valid(int i) => new()
    {
        SpiffeId = SpiffeId.Parse($"spiffe://agentvault.com/workload/{i}"),
        ParentId = SpiffeId.Parse("spiffe://agentvault.com/spire-agent"),
        Selectors = [new Selector("unix", $"uid:{i}")],
    };

    private static V1.Entry Wire(string spiffeId, string selector = "unix:uid:1000", string parentId = "spiffe://agentvault.com/spire-agent")
    {
        var colon = selector.IndexOf(':', StringComparison.Ordinal);
        return new V1.Entry
        {
            SpiffeId = spiffeId,
            ParentId = parentId,
            Selectors = { new V1.Selector { Type = selector[..colon], Value = selector[(colon + 1)..] } },
        };
    }

    private static async Task<(TestStore Store, RegistrationService Service)> OpenAsync()
    {
        var t = await TestStore.OpenAsync("sqlite");
        var service = new RegistrationService(s_td, t.Store, new EntryCache(), TimeProvider.System);
        await service.InitializeAsync();
        return (t, service);
    }

    /// <summary>Every rule CreateEntry checks refuses the entry in the middle of a batch with the same message; its
    /// neighbours are created.</summary>
    [Theory]
    [MemberData(nameof(RegistrationTests.InvalidEntries), MemberType = typeof(RegistrationTests))]
    public async Task MalformedEntryInTheMiddle_IsReportedWithItsReason_AndTheOthersAreCreated(string rule, RegistrationEntry bad, string error)
    {
        var (t, service) = await OpenAsync();
        await using var _ = t;
        var results = await service.CreateEntriesAsync([Valid(1), bad, Valid(2)], e => e);
        Assert.NotNull(results[0].Stored);
        Assert.True(error == results[1].Error?.Message, $"{rule}: {results[1].Error?.Message}");
        Assert.Equal(RegistrationError.InvalidArgument, results[1].Error!.Error);
        Assert.NotNull(results[2].Stored);
        Assert.Equal(2, await t.Store.CountEntriesAsync());
        Assert.Equal(2, service.Cache.Count);
    }

    [Fact]
    public async Task Duplicates_OfStoredAndOfEarlierBatchEntries_AreAlreadyExists()
    {
        var (t, service) = await OpenAsync();
        await using var _ = t;
        var stored = await service.CreateEntryAsync(Valid(1));
        var results = await service.CreateEntriesAsync([Valid(1), Valid(2), Valid(2) with { Selectors = [new Selector("unix", "uid:2"), new Selector("unix", "uid:2")] }], e => e);
        Assert.Equal(
            [
                (RegistrationError.AlreadyExists, $"registration: similar entry already exists (entry ID \"{stored.EntryId}\" has the same SPIFFE ID, parent ID and selectors)"),
                (RegistrationError.AlreadyExists, $"registration: similar entry already exists (entry ID \"{results[1].Stored!.EntryId}\" has the same SPIFFE ID, parent ID and selectors)"),
            ],
            new[] { results[0], results[2] }.Select(r => (r.Error!.Error, r.Error.Message)));
        Assert.Equal(2, service.Cache.Count);
    }

    [Theory]
    [InlineData(0, "registration: the batch holds no entries")]
    [InlineData(10_001, "registration: a batch holds at most 10000 entries, got 10001; split it into several requests")]
    public async Task EmptyOrOversizedBatch_IsRefusedWhole(int count, string error)
    {
        var (t, service) = await OpenAsync();
        await using var _ = t;
        var e = await Assert.ThrowsAsync<RegistrationException>(() => service.CreateEntriesAsync(Enumerable.Range(0, count).Select(Valid).ToArray(), x => x));
        Assert.Equal((RegistrationError.InvalidArgument, error), (e.Error, e.Message));
        Assert.Equal(0, await t.Store.CountEntriesAsync());
    }

    [Fact]
    public async Task BatchLargerThanAChunk_IsWrittenInChunks_WithConsecutiveRevisions()
    {
        var (t, service) = await OpenAsync();
        await using var _ = t;
        var count = RegistrationService.BatchChunkSize * 2 + 500;
        var changed = service.Cache.Changed.Next;
        var results = await service.CreateEntriesAsync(Enumerable.Range(0, count).Select(Valid).ToArray(), x => x);
        Assert.True(changed.IsCompleted);
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), results.Select(r => r.Stored!.Revision));
        Assert.Equal(count, await t.Store.CountEntriesAsync());
        Assert.Equal(count, service.Cache.Count);
        Assert.Equal(count, service.Cache.Revision);
    }

    /// <summary>Over the Admin API: per-entry gRPC status code and message (SPIRE's types.Status), OK entries carry
    /// the stored entry, a wire ID that does not parse refuses only its entry.</summary>
    [Fact]
    public async Task AdminApi_ReportsEachEntrysStatus()
    {
        await using var server = await ServerFixture.StartAsync();
        var admin = server.Admin();
        var response = await admin.BatchCreateEntryAsync(new V1.BatchCreateEntryRequest
        {
            Entries =
            {
                Wire("spiffe://agentvault.com/a"),
                Wire("spiffe://agentvault.com/Bad Path"),
                Wire("spiffe://agentvault.com/a"),
                Wire("spiffe://agentvault.com/b", "dockr:label:x"),
                Wire("spiffe://agentvault.com/c", parentId: ""),
                Wire("spiffe://agentvault.com/d"),
            },
        });
        var a = response.Results[0].Entry;
        Assert.Equal(
            [
                (0, "OK"),
                ((int)StatusCode.InvalidArgument, "registration: invalid SPIFFE ID \"spiffe://agentvault.com/Bad Path\": spiffeid: path segment characters are limited to letters, numbers, dots, dashes, and underscores"),
                ((int)StatusCode.AlreadyExists, $"registration: similar entry already exists (entry ID \"{a.Id}\" has the same SPIFFE ID, parent ID and selectors)"),
                ((int)StatusCode.InvalidArgument, "registration: unknown selector type \"dockr\" (known: aws_iid, azure_imds, azure_msi, docker, gcp_iit, http_challenge, join_token, k8s, k8s_psat, k8s_sat, spiffe_id, sshpop, systemd, tpm, unix, windows, x509pop)"),
                ((int)StatusCode.InvalidArgument, "registration: parent ID is required"),
                (0, "OK"),
            ],
            response.Results.Select(r => (r.Status.Code, r.Status.Message)));
        Assert.Equal(["spiffe://agentvault.com/a", null, null, null, null, "spiffe://agentvault.com/d"], response.Results.Select(r => r.Entry?.SpiffeId));
        Assert.Equal(2, (await admin.GetHealthAsync(new V1.Empty())).Entries);

        var empty = await Assert.ThrowsAsync<RpcException>(async () => await admin.BatchCreateEntryAsync(new V1.BatchCreateEntryRequest()));
        Assert.Equal((StatusCode.InvalidArgument, "registration: the batch holds no entries"), (empty.StatusCode, empty.Status.Detail));
    }
}
