using AgentFabric.Server.Api;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Tests.Api;

/// <summary>EntrySync's difference between what a stream sent and the authorized set: upserts, removals, nothing.</summary>
public class EntrySyncTests
{
    private static RegistrationEntry E(string id, long revision) => new()
    {
        EntryId = id,
        SpiffeId = SpiffeId.Parse("spiffe://example.org/w/" + id),
        ParentId = SpiffeId.Parse("spiffe://example.org/node"),
        Selectors = [new Selector("unix", "uid:1000")],
        Revision = revision,
    };

    // (known before, authorized now, upserted, removed)
    public static TheoryData<string[], string[], string[], string[]> Cases => new()
    {
        { [], ["a:1", "b:2"], ["a", "b"], [] },
        { ["a:1", "b:2"], ["a:1", "b:2", "c:3"], ["c"], [] },
        { ["a:1", "b:2"], ["a:1", "b:5"], ["b"], [] },
        { ["a:1", "b:2", "c:3"], ["a:1", "c:3"], [], ["b"] },
        { ["a:1", "b:2", "c:3"], ["a:1", "c:4", "d:5"], ["c", "d"], ["b"] },
        { ["a:1", "b:2"], [], [], ["a", "b"] },
        { ["a:1", "b:2"], ["b:2", "a:1"], [], [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Next_SendsOnlyTheDifference(string[] known, string[] authorized, string[] upserted, string[] removed)
    {
        static (string Id, long Rev) Split(string s) => (s.Split(':')[0], long.Parse(s.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
        var sync = new EntrySync(known.Select(Split).ToDictionary(k => k.Id, k => k.Rev));
        var entries = authorized.Select(Split).Select(a => E(a.Id, a.Rev)).ToList();

        var update = sync.Next(entries, 9);

        if (upserted.Length == 0 && removed.Length == 0)
        {
            Assert.Null(update);
        }
        else
        {
            Assert.NotNull(update);
            Assert.Equal(upserted, update.Upserted.Select(u => u.Id));
            Assert.Equal(removed, update.RemovedEntryIds.Order(StringComparer.Ordinal));
            Assert.Equal(9, update.Revision);
        }

        // Once sent, the same set gives nothing.
        Assert.Null(sync.Next(entries, 10));
    }
}
