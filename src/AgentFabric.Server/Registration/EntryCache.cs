using AgentFabric.Spiffe;

namespace AgentFabric.Server.Registration;

/// <summary>
/// Every registration entry in memory, indexed by ID and by parent ID, so a node's authorized entries are found by
/// walking the entry tree from the node's ID (entries whose parent is the node, then entries whose parent is one of
/// those entries' SPIFFE IDs, and so on) without touching the database. Writers apply each committed change here.
/// </summary>
public sealed class EntryCache
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RegistrationEntry> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<SpiffeId, Dictionary<string, RegistrationEntry>> _byParent = [];
    private readonly Dictionary<SpiffeId, Dictionary<string, RegistrationEntry>> _bySpiffeId = [];

    public ChangeSignal Changed { get; } = new();

    public long Revision { get; private set; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byId.Count;
            }
        }
    }

    public void Load(IEnumerable<RegistrationEntry> entries, long revision)
    {
        lock (_lock)
        {
            _byId.Clear();
            _byParent.Clear();
            _bySpiffeId.Clear();
            foreach (var e in entries)
            {
                AddLocked(e);
            }

            Revision = revision;
        }

        Changed.Notify();
    }

    public void Upsert(RegistrationEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            RemoveLocked(entry.EntryId);
            AddLocked(entry);
            Revision = Math.Max(Revision, entry.Revision);
        }

        Changed.Notify();
    }

    /// <summary>Applies a committed batch at once: one lock, one wake-up of the streams.</summary>
    public void UpsertMany(IReadOnlyCollection<RegistrationEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var entry in entries)
            {
                RemoveLocked(entry.EntryId);
                AddLocked(entry);
                Revision = Math.Max(Revision, entry.Revision);
            }
        }

        Changed.Notify();
    }

    public void Remove(string entryId, long revision)
    {
        lock (_lock)
        {
            RemoveLocked(entryId);
            Revision = Math.Max(Revision, revision);
        }

        Changed.Notify();
    }

    /// <summary>Whether some unexpired entry with this SPIFFE ID has the admin flag (SPIRE: its SVIDs may call the
    /// server's APIs).</summary>
    public bool IsAdmin(SpiffeId spiffeId, long nowUnix)
    {
        lock (_lock)
        {
            return _bySpiffeId.TryGetValue(spiffeId, out var entries) && entries.Values.Any(e => e.Admin && !Expired(e, nowUnix));
        }
    }

    /// <summary>Entries whose expiry has passed at <paramref name="nowUnix"/>.</summary>
    public List<RegistrationEntry> Expired(long nowUnix)
    {
        lock (_lock)
        {
            return _byId.Values.Where(e => Expired(e, nowUnix)).ToList();
        }
    }

    public RegistrationEntry? Get(string entryId)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(entryId);
        }
    }

    /// <summary>The entries a node may serve: descendants of <paramref name="nodeId"/> in the entry tree, skipping
    /// entries expired at <paramref name="nowUnix"/>.</summary>
    public List<RegistrationEntry> AuthorizedEntries(SpiffeId nodeId, long nowUnix)
    {
        var result = new List<RegistrationEntry>();
        var visited = new HashSet<SpiffeId> { nodeId };
        var queue = new Queue<SpiffeId>();
        queue.Enqueue(nodeId);
        lock (_lock)
        {
            while (queue.TryDequeue(out var parent))
            {
                if (!_byParent.TryGetValue(parent, out var children))
                {
                    continue;
                }

                foreach (var child in children.Values)
                {
                    if (Expired(child, nowUnix))
                    {
                        continue;
                    }

                    result.Add(child);

                    // Only an ID that is some entry's parent has anything below it (a workload entry, most of
                    // them, is a leaf: no set insert, no queue). A SPIFFE ID reached twice (two entries, or a
                    // cycle) is walked once.
                    if (_byParent.ContainsKey(child.SpiffeId) && visited.Add(child.SpiffeId))
                    {
                        queue.Enqueue(child.SpiffeId);
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Whether the node may serve the entry: walks up from the entry through entries whose SPIFFE ID is
    /// its parent until it reaches <paramref name="nodeId"/> (the same relation as <see cref="AuthorizedEntries"/>,
    /// without listing every authorized entry).</summary>
    public RegistrationEntry? GetIfAuthorized(SpiffeId nodeId, string entryId, long nowUnix)
    {
        lock (_lock)
        {
            if (!_byId.TryGetValue(entryId, out var entry) || Expired(entry, nowUnix))
            {
                return null;
            }

            var visited = new HashSet<SpiffeId>();
            var stack = new Stack<SpiffeId>();
            stack.Push(entry.ParentId);
            while (stack.TryPop(out var parent))
            {
                if (parent == nodeId)
                {
                    return entry;
                }

                if (!visited.Add(parent) || !_bySpiffeId.TryGetValue(parent, out var owners))
                {
                    continue;
                }

                foreach (var owner in owners.Values)
                {
                    if (!Expired(owner, nowUnix))
                    {
                        stack.Push(owner.ParentId);
                    }
                }
            }

            return null;
        }
    }

    private static bool Expired(RegistrationEntry e, long nowUnix) => e.ExpiresAt != 0 && e.ExpiresAt <= nowUnix;

    private void AddLocked(RegistrationEntry e)
    {
        _byId[e.EntryId] = e;
        Index(_byParent, e.ParentId)[e.EntryId] = e;
        Index(_bySpiffeId, e.SpiffeId)[e.EntryId] = e;
    }

    private static Dictionary<string, RegistrationEntry> Index(Dictionary<SpiffeId, Dictionary<string, RegistrationEntry>> index, SpiffeId key)
    {
        if (!index.TryGetValue(key, out var set))
        {
            set = new Dictionary<string, RegistrationEntry>(StringComparer.Ordinal);
            index[key] = set;
        }

        return set;
    }

    private void RemoveLocked(string entryId)
    {
        if (!_byId.Remove(entryId, out var old))
        {
            return;
        }

        Unindex(_byParent, old.ParentId, entryId);
        Unindex(_bySpiffeId, old.SpiffeId, entryId);
    }

    private static void Unindex(Dictionary<SpiffeId, Dictionary<string, RegistrationEntry>> index, SpiffeId key, string entryId)
    {
        if (index.TryGetValue(key, out var set))
        {
            set.Remove(entryId);
            if (set.Count == 0)
            {
                index.Remove(key);
            }
        }
    }
}
