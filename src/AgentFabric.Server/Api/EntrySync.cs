using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Server.Api;

/// <summary>
/// One agent's view of its authorized entries: what it was sent (entry ID → revision). <see cref="Next"/> returns
/// only the difference with the current authorized set: new or changed entries, and IDs no longer authorized.
/// </summary>
internal sealed class EntrySync
{
    private readonly Dictionary<string, long> _sent;

    public EntrySync(IDictionary<string, long> known) => _sent = new Dictionary<string, long>(known, StringComparer.Ordinal);

    public V1.SyncEntriesResponse? Next(IReadOnlyList<RegistrationEntry> authorized, long revision)
    {
        V1.SyncEntriesResponse? update = null;
        foreach (var entry in authorized)
        {
            if (_sent.TryGetValue(entry.EntryId, out var rev) && rev == entry.Revision)
            {
                continue;
            }

            update ??= new V1.SyncEntriesResponse();
            update.Upserted.Add(ProtoMapping.ToProto(entry));
            _sent[entry.EntryId] = entry.Revision;
        }

        // Every authorized entry (each listed once: an entry has one parent) is in _sent now, so _sent holds more
        // only when some were sent before and are no longer authorized. Creations alone (the common push, and a
        // batch of 30,000) skip the set of current IDs and the scan for removals (issue 13: a push at 30,000
        // entries spent most of its time there).
        if (_sent.Count > authorized.Count)
        {
            var current = new HashSet<string>(authorized.Count, StringComparer.Ordinal);
            foreach (var entry in authorized)
            {
                current.Add(entry.EntryId);
            }

            foreach (var id in _sent.Keys.Where(id => !current.Contains(id)).ToList())
            {
                update ??= new V1.SyncEntriesResponse();
                update.RemovedEntryIds.Add(id);
                _sent.Remove(id);
            }
        }

        if (update is not null)
        {
            update.Revision = revision;
        }

        return update;
    }
}
