using System.Globalization;
using AgentFabric.Server.Datastore;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Registration;

public sealed partial class RegistrationService
{
    public static readonly TimeSpan DefaultJoinTokenTtl = TimeSpan.FromSeconds(600);

    /// <summary>The node ID a join token gives, as SPIRE names it: <c>spiffe://&lt;td&gt;/spire/agent/join_token/&lt;token&gt;</c>.</summary>
    public SpiffeId JoinTokenNodeId(string token) => SpiffeId.FromSegments(TrustDomain, "spire", "agent", "join_token", token);

    /// <summary>Creates a single-use join token. With <paramref name="aliasId"/>, also an entry that gives the node
    /// that ID (parent: the token's node ID), so entries registered under the alias are served to that node.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> CreateJoinTokenAsync(
        TimeSpan ttl, string? aliasId, CancellationToken cancellationToken = default)
    {
        if (ttl <= TimeSpan.Zero)
        {
            throw new RegistrationException(RegistrationError.InvalidArgument,
                string.Create(CultureInfo.InvariantCulture, $"registration: join token TTL must be positive, got {(long)ttl.TotalSeconds}"));
        }

        var token = Guid.NewGuid().ToString();
        var expiresAt = _time.GetUtcNow() + ttl;
        RegistrationEntry? alias = null;
        if (!string.IsNullOrEmpty(aliasId))
        {
            // Validate before storing the token, so a bad alias leaves nothing behind.
            alias = EntryValidator.Validate(new RegistrationEntry
            {
                SpiffeId = EntryValidator.ParseId("SPIFFE ID", aliasId, TrustDomain),
                ParentId = JoinTokenNodeId(token),
                Selectors = [new Selector("spiffe_id", JoinTokenNodeId(token).ToString())],
            }, TrustDomain);
        }

        await _store.CreateJoinTokenAsync(token, expiresAt.ToUnixTimeSeconds(), cancellationToken).ConfigureAwait(false);
        if (alias is not null)
        {
            await CreateEntryAsync(alias, cancellationToken).ConfigureAwait(false);
        }

        return (token, expiresAt);
    }

    /// <summary>Deletes entries past their expiry (SPIRE's entryExpiry pruning; agents see them removed at once)
    /// and join tokens past theirs. Returns how many of each.</summary>
    public async Task<(int Entries, int Tokens)> PruneAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var entries = 0;
        foreach (var expired in Cache.Expired(now))
        {
            try
            {
                await DeleteEntryAsync(expired.EntryId, cancellationToken).ConfigureAwait(false);
                entries++;
            }
            catch (RegistrationException e) when (e.Error == RegistrationError.NotFound)
            {
                // Deleted meanwhile by an admin: nothing left to prune.
            }
        }

        var tokens = await _store.PruneJoinTokensAsync(now, cancellationToken).ConfigureAwait(false);
        return (entries, tokens);
    }

    public Task<IReadOnlyList<AttestedNode>> ListAgentsAsync(CancellationToken cancellationToken = default) =>
        _store.ListAttestedNodesAsync(cancellationToken);

    public async Task<AttestedNode> GetAgentAsync(string spiffeId, CancellationToken cancellationToken = default) =>
        await _store.GetAttestedNodeAsync(RequireAgentId(spiffeId), cancellationToken).ConfigureAwait(false) ?? throw NoAgent(spiffeId);

    /// <summary>Forgets the node: its SVID no longer opens the Agent API and open syncs end; it may attest again
    /// with a new token.</summary>
    public async Task EvictAgentAsync(string spiffeId, CancellationToken cancellationToken = default)
    {
        if (!await _store.DeleteAttestedNodeAsync(RequireAgentId(spiffeId), cancellationToken).ConfigureAwait(false))
        {
            throw NoAgent(spiffeId);
        }

        NodesChanged.Notify();
    }

    /// <summary>Bans the node: like eviction, and it may never attest again under this ID.</summary>
    public async Task BanAgentAsync(string spiffeId, CancellationToken cancellationToken = default)
    {
        try
        {
            await _store.SetAttestedNodeBannedAsync(RequireAgentId(spiffeId), true, cancellationToken).ConfigureAwait(false);
        }
        catch (DatastoreException e) when (e.Error == DatastoreError.NotFound)
        {
            throw NoAgent(spiffeId);
        }

        NodesChanged.Notify();
    }

    private string RequireAgentId(string spiffeId)
    {
        if (!SpiffeId.TryParse(spiffeId, out var id, out var error))
        {
            throw new RegistrationException(RegistrationError.InvalidArgument, $"registration: invalid agent SPIFFE ID \"{spiffeId}\": {error}");
        }

        return id.IsMemberOf(TrustDomain)
            ? id.ToString()
            : throw new RegistrationException(RegistrationError.InvalidArgument, $"registration: agent SPIFFE ID \"{spiffeId}\" is not a member of trust domain \"{TrustDomain}\"");
    }

    private static RegistrationException NoAgent(string spiffeId) =>
        new(RegistrationError.NotFound, $"registration: no attested agent \"{spiffeId}\"");
}
