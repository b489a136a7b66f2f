using AgentFabric.Agent.Node;
using BenchmarkDotNet.Attributes;
using V1 = AgentFabric.Server.Api.V1;

namespace AgentFabric.Agent.Benchmarks;

/// <summary>
/// The agent's cost to apply one entry push (one new entry, and the one the previous push added removed, so the set
/// keeps its size) with 1,000, 10,000 and 30,000 entries already held, ratio against 1,000: flat means the cost is
/// proportional to the push, not to the total (issue 13). The last row is what each push cost before: a copy of
/// every served reference into the snapshot's list, at 30,000.
/// </summary>
[MemoryDiagnoser]
public class EntryPushBenchmarks
{
    private readonly SyncedEntries _1k = Filled(1_000);
    private readonly SyncedEntries _10k = Filled(10_000);
    private readonly SyncedEntries _30k = Filled(30_000);
    private readonly V1.Entry[] _pushed = [Workload("push-0"), Workload("push-1")];
    private int _turn;

    [Benchmark(Baseline = true, Description = "apply one push, 1,000 entries held")]
    public int Apply1k() => Push(_1k);

    [Benchmark(Description = "apply one push, 10,000 entries held")]
    public int Apply10k() => Push(_10k);

    [Benchmark(Description = "apply one push, 30,000 entries held")]
    public int Apply30k() => Push(_30k);

    [Benchmark(Description = "previous apply's copy of every reference, 30,000 entries held")]
    public int CopyAll30k() => ((IReadOnlyList<RegistrationEntry>)[.. _30k.Served]).Count;

    private int Push(SyncedEntries set)
    {
        var add = _pushed[_turn];
        _turn ^= 1;
        set.Apply([_pushed[_turn].Id], [add]);
        return set.Served.Count;
    }

    private static SyncedEntries Filled(int count)
    {
        var set = new SyncedEntries();
        set.Apply([], Enumerable.Range(0, count).Select(i => Workload($"e-{i:D6}")));
        return set;
    }

    private static V1.Entry Workload(string id) => new()
    {
        Id = id,
        SpiffeId = "spiffe://bench.example/workload/" + id,
        ParentId = "spiffe://bench.example/spire/agent/join_token/node",
        RevisionNumber = 1,
        Selectors = { new V1.Selector { Type = "unix", Value = "uid:" + id } },
    };
}
