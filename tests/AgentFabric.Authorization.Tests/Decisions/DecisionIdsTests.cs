using System.Text.RegularExpressions;

namespace AgentFabric.Authorization.Tests.Decisions;

/// <summary>Decision ids are random version-4 UUIDs (RFC 9562 §5.4) in the 8-4-4-4-12 form, distinct across refills of
/// the per-thread random buffer and across threads.</summary>
public sealed partial class DecisionIdsTests
{
    [Fact]
    public async Task Ids_AreDistinctVersion4Uuids_AcrossRefillsAndThreads()
    {
        // 3 threads × 600 ids: each thread refills its 256-id buffer twice.
        var batches = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => Enumerable.Range(0, 600).Select(_ => DecisionIds.NewUuid()).ToArray())));
        var ids = batches.SelectMany(b => b).ToArray();

        Assert.Equal((1800, 1800, 0), (ids.Length, ids.Distinct(StringComparer.Ordinal).Count(), ids.Count(id => !Version4().IsMatch(id))));
    }

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex Version4();
}
