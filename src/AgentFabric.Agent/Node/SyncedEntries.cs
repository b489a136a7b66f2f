using System.Collections.Immutable;
using AgentFabric.Agent.Identity;
using AgentFabric.Server.Api.V1;
using Google.Protobuf.Collections;
using Selector = AgentFabric.Contracts.Selector;

namespace AgentFabric.Agent.Node;

/// <summary>
/// The entries the server pushed to this node: each entry's revision (what the next SyncEntries says it knows) and
/// the entries the workload side serves. A push costs in proportion to what it carries, not to how many entries the
/// node has (issue 13): only the pushed entries are converted (their IDs parsed), and the served entries are a
/// persistent list (<see cref="ImmutableList{T}"/>, a balanced tree kept sorted by entry ID) that each change updates
/// in O(log n), sharing every untouched node with the previous list, so a new snapshot needs no copy of the others.
/// Not thread-safe: the provider's sync loop is its only writer; published lists are immutable and safe to share.
/// </summary>
public sealed class SyncedEntries
{
    private static readonly Comparer<RegistrationEntry> s_byId =
        Comparer<RegistrationEntry>.Create((a, b) => string.CompareOrdinal(a.EntryId, b.EntryId));

    private readonly Dictionary<string, long> _revisions = new(StringComparer.Ordinal);

    /// <summary>How many entries the server sent (served or not).</summary>
    public int Count => _revisions.Count;

    /// <summary>The served entries, sorted by entry ID; immutable (a later push makes a new list).</summary>
    public ImmutableList<RegistrationEntry> Served { get; private set; } = ImmutableList<RegistrationEntry>.Empty;

    /// <summary>Applies one push: removals, then upserts. True when the served set changed.</summary>
    public bool Apply(IEnumerable<string> removedIds, IEnumerable<Entry> upserted)
    {
        ArgumentNullException.ThrowIfNull(removedIds);
        ArgumentNullException.ThrowIfNull(upserted);
        var served = Served.ToBuilder();
        var changed = false;
        foreach (var id in removedIds)
        {
            _revisions.Remove(id);
            changed |= Remove(served, id);
        }

        foreach (var e in upserted)
        {
            _revisions[e.Id] = e.RevisionNumber;
            if (ToEntry(e) is { } entry)
            {
                var at = served.BinarySearch(entry, s_byId);
                if (at >= 0)
                {
                    served[at] = entry;
                }
                else
                {
                    served.Insert(~at, entry);
                }

                changed = true;
            }
            else
            {
                // An entry that became a node alias (or got a bad ID) stops being served.
                changed |= Remove(served, e.Id);
            }
        }

        if (changed)
        {
            // Freezes only the nodes this push created: O(changes x log n).
            Served = served.ToImmutable();
        }

        return changed;
    }

    /// <summary>Forgets every entry (a new node identity starts from nothing).</summary>
    public void Clear()
    {
        _revisions.Clear();
        Served = ImmutableList<RegistrationEntry>.Empty;
    }

    /// <summary>Writes every known entry's revision into a SyncEntries request.</summary>
    public void CopyRevisionsTo(MapField<string, long> target)
    {
        ArgumentNullException.ThrowIfNull(target);
        foreach (var (id, revision) in _revisions)
        {
            target[id] = revision;
        }
    }

    private static bool Remove(ImmutableList<RegistrationEntry>.Builder served, string entryId)
    {
        var at = served.BinarySearch(new RegistrationEntry { EntryId = entryId, SpiffeId = default }, s_byId);
        if (at < 0)
        {
            return false;
        }

        served.RemoveAt(at);
        return true;
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
