using AgentFabric.Server.Api;
using AgentFabric.Server.Datastore;
using AgentFabric.Server.Registration;
using AgentFabric.Server.Tests.Datastore;
using AgentFabric.Spiffe;
using AgentFabric.Testing;

namespace AgentFabric.Server.Tests.Registration;

public class RegistrationTests
{
    private static readonly TrustDomain s_td = TrustDomain.Parse("agentvault.com");

    private static RegistrationEntry Valid() => new()
    {
        SpiffeId = SpiffeId.Parse("spiffe://agentvault.com/service/teg-core"),
        ParentId = SpiffeId.Parse("spiffe://agentvault.com/spire-agent"),
        Selectors = [new Selector("docker", "label:com.agentvault.service:teg-core")],
        X509SvidTtl = 3600,
        JwtSvidTtl = 300,
    };

    public static TheoryData<string, RegistrationEntry, string> InvalidEntries => new()
    {
        { "missing SPIFFE ID", Valid() with { SpiffeId = default }, "registration: SPIFFE ID is required" },
        { "missing parent ID", Valid() with { ParentId = default }, "registration: parent ID is required" },
        { "foreign SPIFFE ID", Valid() with { SpiffeId = SpiffeId.Parse("spiffe://other.org/x") }, "registration: SPIFFE ID \"spiffe://other.org/x\" is not a member of trust domain \"agentvault.com\"" },
        { "foreign parent ID", Valid() with { ParentId = SpiffeId.Parse("spiffe://other.org/agent") }, "registration: parent ID \"spiffe://other.org/agent\" is not a member of trust domain \"agentvault.com\"" },
        { "root SPIFFE ID", Valid() with { SpiffeId = SpiffeId.Parse("spiffe://agentvault.com") }, "registration: SPIFFE ID \"spiffe://agentvault.com\" has no path; entries need a workload path" },
        { "no selectors", Valid() with { Selectors = [] }, "registration: at least one selector is required" },
        { "unknown selector type", Valid() with { Selectors = [new Selector("dockr", "label:x")] }, "registration: unknown selector type \"dockr\" (known: aws_iid, azure_imds, azure_msi, docker, gcp_iit, http_challenge, join_token, k8s, k8s_psat, k8s_sat, spiffe_id, sshpop, systemd, tpm, unix, windows, x509pop)" },
        { "empty selector value", Valid() with { Selectors = [new Selector("unix", "")] }, "registration: selector \"unix:\" must be of the form type:value" },
        { "negative x509 TTL", Valid() with { X509SvidTtl = -1 }, "registration: X.509-SVID TTL must not be negative, got -1" },
        { "negative JWT TTL", Valid() with { JwtSvidTtl = -5 }, "registration: JWT-SVID TTL must not be negative, got -5" },
        { "negative expiry", Valid() with { ExpiresAt = -1 }, "registration: entry expiry must not be negative, got -1" },
        { "bad federatesWith", Valid() with { FederatesWith = ["spiffe://Partner.com"] }, "registration: federatesWith \"spiffe://Partner.com\" is not a trust domain: spiffeid: trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores" },
        { "own trust domain", Valid() with { FederatesWith = ["agentvault.com"] }, "registration: federatesWith \"agentvault.com\" is the server's own trust domain" },
        { "bad DNS name", Valid() with { DnsNames = ["bad_name.example"] }, "registration: DNS name \"bad_name.example\" is not valid" },
        { "bad entry ID", Valid() with { EntryId = "a/b" }, "registration: entry ID \"a/b\" may only hold letters, digits, '-', '_' and '.'" },
    };

    [Theory]
    [MemberData(nameof(InvalidEntries))]
    public async Task InvalidEntry_IsRefusedWithItsOwnError_AndNothingIsStored(string rule, RegistrationEntry entry, string error)
    {
        await using var t = await TestStore.OpenAsync("sqlite");
        var service = new RegistrationService(s_td, t.Store, new EntryCache(), TimeProvider.System);
        await service.InitializeAsync();
        var e = await Assert.ThrowsAsync<RegistrationException>(() => service.CreateEntryAsync(entry));
        Assert.True(error == e.Message, $"{rule}: {e.Message}");
        Assert.Equal(RegistrationError.InvalidArgument, e.Error);
        Assert.Equal(0, await t.Store.CountEntriesAsync());
        Assert.Equal(0, service.Cache.Count);
    }

    /// <summary>IDs arrive as text at the Admin API and are parsed where it maps the wire entry; each broken rule keeps
    /// the message the validator gives, checked in the same order (entry ID, SPIFFE ID, parent ID).</summary>
    public static TheoryData<string, string, string, string, string> InvalidWireIds => new()
    {
        { "bad SPIFFE ID", "", "spiffe://agentvault.com/Bad Path", "spiffe://agentvault.com/spire-agent", "registration: invalid SPIFFE ID \"spiffe://agentvault.com/Bad Path\": spiffeid: path segment characters are limited to letters, numbers, dots, dashes, and underscores" },
        { "not spiffe", "", "https://agentvault.com/x", "spiffe://agentvault.com/spire-agent", "registration: invalid SPIFFE ID \"https://agentvault.com/x\": spiffeid: scheme is missing or invalid (expected \"spiffe://\")" },
        { "missing SPIFFE ID", "", "", "spiffe://agentvault.com/spire-agent", "registration: SPIFFE ID is required" },
        { "foreign SPIFFE ID", "", "spiffe://other.org/x", "spiffe://agentvault.com/a//b", "registration: SPIFFE ID \"spiffe://other.org/x\" is not a member of trust domain \"agentvault.com\"" },
        { "bad parent", "", "spiffe://agentvault.com/x", "spiffe://agentvault.com/a//b", "registration: invalid parent ID \"spiffe://agentvault.com/a//b\": spiffeid: path cannot contain empty segments" },
        { "missing parent", "", "spiffe://agentvault.com/x", "", "registration: parent ID is required" },
        { "bad entry ID first", "a/b", "not-an-id", "", "registration: entry ID \"a/b\" may only hold letters, digits, '-', '_' and '.'" },
    };

    [Theory]
    [MemberData(nameof(InvalidWireIds))]
    public async Task InvalidWireId_IsRefusedWithItsOwnError_AndNothingIsStored(string rule, string entryId, string spiffeId, string parentId, string error)
    {
        await using var t = await TestStore.OpenAsync("sqlite");
        var service = new RegistrationService(s_td, t.Store, new EntryCache(), TimeProvider.System);
        await service.InitializeAsync();
        var wire = ProtoMapping.ToProto(Valid());
        wire.Id = entryId;
        wire.SpiffeId = spiffeId;
        wire.ParentId = parentId;
        var e = await Assert.ThrowsAsync<RegistrationException>(() => service.CreateEntryAsync(ProtoMapping.FromProto(wire, s_td)));
        Assert.True(error == e.Message, $"{rule}: {e.Message}");
        Assert.Equal(RegistrationError.InvalidArgument, e.Error);
        Assert.Equal(0, await t.Store.CountEntriesAsync());
    }

    [Fact]
    public async Task DuplicateUnknownAndMissingFederation_HaveSpecificErrors()
    {
        await using var t = await TestStore.OpenAsync("sqlite");
        var service = new RegistrationService(s_td, t.Store, new EntryCache(), TimeProvider.System);
        await service.InitializeAsync();
        var first = await service.CreateEntryAsync(Valid());
        var dup = await Assert.ThrowsAsync<RegistrationException>(() => service.CreateEntryAsync(Valid()));
        Assert.Equal(RegistrationError.AlreadyExists, dup.Error);
        Assert.Equal($"registration: similar entry already exists (entry ID \"{first.EntryId}\" has the same SPIFFE ID, parent ID and selectors)", dup.Message);

        var missing = await Assert.ThrowsAsync<RegistrationException>(() => service.DeleteEntryAsync("nope"));
        Assert.Equal((RegistrationError.NotFound, "registration: no registration entry with ID \"nope\""), (missing.Error, missing.Message));
        var update = await Assert.ThrowsAsync<RegistrationException>(() => service.UpdateEntryAsync(Valid() with { EntryId = "nope" }));
        Assert.Equal((RegistrationError.NotFound, "registration: no registration entry with ID \"nope\""), (update.Error, update.Message));

        var fed = await Assert.ThrowsAsync<RegistrationException>(() => service.CreateEntryAsync(Valid() with { SpiffeId = SpiffeId.Parse("spiffe://agentvault.com/x"), FederatesWith = ["spiffe://partner.com"] }));
        Assert.Equal((RegistrationError.FailedPrecondition, "registration: no bundle for federated trust domain \"partner.com\"; set it first (bundle set)"), (fed.Error, fed.Message));
        Assert.Equal(1, service.Cache.Count);
    }

    [Fact]
    public async Task JoinToken_WithAlias_CreatesAnEntryUnderTheTokenNodeId()
    {
        await using var t = await TestStore.OpenAsync("sqlite");
        var service = new RegistrationService(s_td, t.Store, new EntryCache(), TimeProvider.System);
        await service.InitializeAsync();
        var (token, _) = await service.CreateJoinTokenAsync(TimeSpan.FromMinutes(10), "spiffe://agentvault.com/spire-agent");
        var nodeId = $"spiffe://agentvault.com/spire/agent/join_token/{token}";
        Assert.Equal(nodeId, service.JoinTokenNodeId(token).ToString());
        var alias = Assert.Single(await service.ListEntriesAsync(new EntryFilter { ParentId = nodeId }));
        Assert.Equal("spiffe://agentvault.com/spire-agent", alias.SpiffeId.ToString());
        Assert.Equal([new Selector("spiffe_id", nodeId)], alias.Selectors);

        var bad = await Assert.ThrowsAsync<RegistrationException>(() => service.CreateJoinTokenAsync(TimeSpan.Zero, null));
        Assert.Equal("registration: join token TTL must be positive, got 0", bad.Message);
    }

    [Fact]
    public async Task Prune_DeletesExpiredEntriesAndTokens_AndTheCacheFollows()
    {
        var time = TestTime.StartingNow();
        await using var t = await TestStore.OpenAsync("sqlite");
        var service = new RegistrationService(s_td, t.Store, new EntryCache(), time);
        await service.InitializeAsync();
        var expiring = await service.CreateEntryAsync(Valid() with { ExpiresAt = time.GetUtcNow().ToUnixTimeSeconds() + 60 });
        var forever = await service.CreateEntryAsync(Valid() with { SpiffeId = SpiffeId.Parse("spiffe://agentvault.com/forever") });
        await service.CreateJoinTokenAsync(TimeSpan.FromSeconds(30), null);
        Assert.Equal((0, 0), await service.PruneAsync());
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal((1, 1), await service.PruneAsync());
        Assert.Null(service.Cache.Get(expiring.EntryId));
        Assert.NotNull(service.Cache.Get(forever.EntryId));
        Assert.Equal(1, await t.Store.CountEntriesAsync());
    }

    [Fact]
    public async Task RestartReloadsTheCache()
    {
        await using var t = await TestStore.OpenAsync("sqlite");
        var service = new RegistrationService(s_td, t.Store, new EntryCache(), TimeProvider.System);
        await service.InitializeAsync();
        var e = await service.CreateEntryAsync(Valid());
        await using var reopened = await t.ReopenAsync();
        var again = new RegistrationService(s_td, reopened, new EntryCache(), TimeProvider.System);
        await again.InitializeAsync();
        Assert.Equal(e.EntryId, again.Cache.Get(e.EntryId)!.EntryId);
        Assert.Equal(1, again.Cache.Revision);
    }
}
