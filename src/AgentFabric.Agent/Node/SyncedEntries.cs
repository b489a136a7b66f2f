using AgentFabric.Agent.Identity;
using AgentFabric.Server.Api.V1;
using Google.Protobuf.Collections;
using Selector = AgentFabric.Contracts.Selector;

namespace AgentFabric.Agent.Node;

/// <summary>
/// The entries the server pushed to this node: each entry's revision (what the next SyncEntries says it knows) and
/// the entry as the workload side serves it. A push converts only the entries it carries (issue 13: rebuilding and
/// re-parsing all of them cost ~18 ms per push at 20,000-30,000 entries); what remains per push is one copy of the
/// references into the snapshot's list. Not thread-safe: the provider's sync loop is its only writer.
/// </summary>
public sealed class SyncedEntries
{
    private readonly Dictionary<string, long> _revisions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RegistrationEntry> _served = new(StringComparer.Ordinal);

    /// <summary>How many entries the server sent (served or not).</summary>
    public int Count => _revisions.Count;

    /// <summary>Applies one push: removals, then upserts. True when the served set changed.</summary>
    public bool Apply(IEnumerable<string> removedIds, IEnumerable<Entry> upserted)
    {
        ArgumentNullException.ThrowIfNull(removedIds);
        ArgumentNullException.ThrowIfNull(upserted);
        var changed = false;
        foreach (var id in removedIds)
        {
            _revisions.Remove(id);
            changed |= _served.Remove(id);
        }

        foreach (var e in upserted)
        {
            _revisions[e.Id] = e.RevisionNumber;
            if (ToEntry(e) is { } served)
            {
                _served[e.Id] = served;
                changed = true;
            }
            else
            {
                // An entry that became a node alias (or got a bad ID) stops being served.
                changed |= _served.Remove(e.Id);
            }
        }

        return changed;
    }

    /// <summary>Forgets every entry (a new node identity starts from nothing).</summary>
    public void Clear()
    {
        _revisions.Clear();
        _served.Clear();
    }

    /// <summary>The served entries as a new list (the snapshot is immutable; its list is never changed later).</summary>
    public IReadOnlyList<RegistrationEntry> ToList() => [.. _served.Values];

    /// <summary>Writes every known entry's revision into a SyncEntries request.</summary>
    public void CopyRevisionsTo(MapField<string, long> target)
    {
        ArgumentNullException.ThrowIfNull(target);
        foreach (var (id, revision) in _revisions)
        {
            target[id] = revision;
        }
    }

    /// <summary>An entry the workload side can serve, its IDs parsed once per push that carries it (never per
    /// fetch); node alias entries (no workload selectors) and malformed SPIFFE IDs give null. A malformed parent ID is
    /// left zero: the agent never uses it to serve a workload.</summary>
    public static RegistrationEntry? ToEntry(Entry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Selectors.Count == 0 || !SpiffeId.TryParse(e.SpiffeId, out var id))
        {
            return null;
        }

        return new RegistrationEntry(e.Id, id, e.Selectors.Select(s => new Selector(s.Type, s.Value)).ToArray())
        {
            ParentId = SpiffeId.TryParse(e.ParentId, out var parent) ? parent : default,
            X509SvidTtl = e.X509SvidTtl,
            JwtSvidTtl = e.JwtSvidTtl,
            FederatesWith = e.FederatesWith.Count == 0 ? [] : [.. e.FederatesWith],
            DnsNames = e.DnsNames.Count == 0 ? [] : [.. e.DnsNames],
            Admin = e.Admin,
            Downstream = e.Downstream,
            Hint = e.Hint,
            ExpiresAt = e.ExpiresAt,
            Revision = e.RevisionNumber,
            CreatedAt = e.CreatedAt,
        };
    }
}
