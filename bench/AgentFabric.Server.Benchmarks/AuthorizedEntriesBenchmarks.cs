using AgentFabric.Contracts;
using AgentFabric.Server.Registration;
using AgentFabric.Spiffe;
using BenchmarkDotNet.Attributes;

namespace AgentFabric.Server.Benchmarks;

/// <summary>
/// One node's authorized entries among 100,000 (100 nodes, each with an alias, 10 services and workloads under
/// them): the cache's tree walk against a baseline full scan of all entries comparing parent IDs.
/// </summary>
[MemoryDiagnoser]
public class AuthorizedEntriesBenchmarks
{
    private readonly EntryCache _cache = new();
    private List<RegistrationEntry> _all = null!;
    private static readonly SpiffeId Node = SpiffeId.Parse("spiffe://bench.example/spire/agent/join_token/node-7");

    [GlobalSetup]
    public void Setup()
    {
        _all = EntryScale.Tree(100_000, nodes: 100).ToList();
        _cache.Load(_all, _all.Count);
        var count = _cache.AuthorizedEntries(Node, 0).Count;
        if (count != 1_000)
        {
            throw new InvalidOperationException($"setup: node has {count} entries, expected 1000");
        }
    }

    [Benchmark(Baseline = true, Description = "scan all 100k entries for parent == node")]
    public int Scan()
    {
        var n = 0;
        foreach (var e in _all)
        {
            if (e.ParentId == Node)
            {
                n++;
            }
        }

        return n;
    }

    [Benchmark(Description = "AuthorizedEntries (tree walk, 1,000 of 100k)")]
    public int Authorized() => _cache.AuthorizedEntries(Node, 0).Count;

    [Benchmark(Description = "GetIfAuthorized (one entry, walk up)")]
    public bool OneEntry() => _cache.GetIfAuthorized(Node, "e-0070999", 0) is not null;
}
