namespace AgentFabric.Server.Datastore;

/// <summary>
/// The server's persistent state. Every method is one transaction: it either happens completely or not at all,
/// and concurrent callers (threads or servers sharing a PostgreSQL database) never see partial state.
/// </summary>
public interface IDataStore : IAsyncDisposable
{
    // Registration entries.
    Task<RegistrationEntry> CreateEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Creates many entries in ONE transaction, each refused or stored on its own (a duplicate of a stored
    /// entry or of an earlier one in the batch is AlreadyExists, a missing federated bundle FailedPrecondition); the
    /// result at index i is entry i's. Stored entries get consecutive revisions in batch order.</summary>
    Task<IReadOnlyList<EntryCreateResult>> CreateEntriesAsync(IReadOnlyList<RegistrationEntry> entries, CancellationToken cancellationToken = default);

    Task<RegistrationEntry> UpdateEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken = default);

    Task<RegistrationEntry?> DeleteEntryAsync(string entryId, CancellationToken cancellationToken = default);

    Task<RegistrationEntry?> GetEntryAsync(string entryId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<RegistrationEntry>> ListEntriesAsync(EntryFilter filter, CancellationToken cancellationToken = default);

    Task<int> CountEntriesAsync(CancellationToken cancellationToken = default);

    /// <summary>The revision of the last change of any entry (0 before the first).</summary>
    Task<long> GetRevisionAsync(CancellationToken cancellationToken = default);

    // Join tokens.
    Task CreateJoinTokenAsync(string token, long expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Deletes the token and returns its expiry, or null when it does not exist (already used): a token
    /// is consumed at most once even under concurrent attempts.</summary>
    Task<long?> ConsumeJoinTokenAsync(string token, CancellationToken cancellationToken = default);

    /// <summary>Deletes join tokens that expired before <paramref name="before"/> (Unix seconds); returns how many.</summary>
    Task<int> PruneJoinTokensAsync(long before, CancellationToken cancellationToken = default);

    // Attested nodes.
    Task CreateAttestedNodeAsync(AttestedNode node, CancellationToken cancellationToken = default);

    Task<AttestedNode?> GetAttestedNodeAsync(string spiffeId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AttestedNode>> ListAttestedNodesAsync(CancellationToken cancellationToken = default);

    Task UpdateAttestedNodeCertAsync(string spiffeId, string serial, long notAfter, CancellationToken cancellationToken = default);

    /// <summary>Sets the node's SVID serial and expiry only if its current serial is <paramref name="expectedSerial"/>
    /// and it is not banned (compare and swap); false when it is not (another SVID replaced it, or it was banned or
    /// evicted meanwhile).</summary>
    Task<bool> ReplaceAttestedNodeCertAsync(string spiffeId, string expectedSerial, string serial, long notAfter, CancellationToken cancellationToken = default);

    Task SetAttestedNodeBannedAsync(string spiffeId, bool banned, CancellationToken cancellationToken = default);

    Task<bool> DeleteAttestedNodeAsync(string spiffeId, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> nodes that are not banned and whose node SVID expired before
    /// <paramref name="expiredBefore"/> (Unix seconds), the longest expired first.</summary>
    Task<IReadOnlyList<AttestedNode>> ListExpiredAttestedNodesAsync(long expiredBefore, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes the node only if it is still expired before <paramref name="expiredBefore"/> and not banned
    /// (a node that renewed or was banned meanwhile stays); false when it was not deleted.</summary>
    Task<bool> DeleteExpiredAttestedNodeAsync(string spiffeId, long expiredBefore, CancellationToken cancellationToken = default);

    // Bundles.
    Task<StoredBundle> SetBundleAsync(string trustDomain, string x509Pem, string jwtKeysJson, long refreshHintSeconds, CancellationToken cancellationToken = default);

    Task<StoredBundle?> GetBundleAsync(string trustDomain, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredBundle>> ListBundlesAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the bundle; refused (FailedPrecondition) while entries federate with the trust domain,
    /// SPIRE's default "restrict" mode.</summary>
    Task<bool> DeleteBundleAsync(string trustDomain, CancellationToken cancellationToken = default);

    // Federation relationships (dynamic; the config's federates_with are not stored).
    /// <summary>Stores a new relationship; AlreadyExists when one exists for the trust domain.</summary>
    Task CreateFederationRelationshipAsync(StoredFederationRelationship relationship, CancellationToken cancellationToken = default);

    /// <summary>Replaces a relationship; false when none exists for the trust domain.</summary>
    Task<bool> UpdateFederationRelationshipAsync(StoredFederationRelationship relationship, CancellationToken cancellationToken = default);

    Task<StoredFederationRelationship?> GetFederationRelationshipAsync(string trustDomain, CancellationToken cancellationToken = default);

    /// <summary>Every relationship, ordered by trust domain.</summary>
    Task<IReadOnlyList<StoredFederationRelationship>> ListFederationRelationshipsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the relationship (the trust domain's bundle stays); false when none exists.</summary>
    Task<bool> DeleteFederationRelationshipAsync(string trustDomain, CancellationToken cancellationToken = default);
}
