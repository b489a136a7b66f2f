using System.Diagnostics;
using System.Globalization;
using AgentFabric.Agent.Cache;
using AgentFabric.Agent.Identity;

namespace AgentFabric.Agent.Benchmarks;

/// <summary>
/// <c>--memory N</c>: fills a <see cref="WorkloadSvidCache"/> with N X.509-SVIDs (N entries, each issued through the
/// real key generation, CSR and signing path) and reports what the cache holds per SVID: the managed heap delta
/// (<see cref="GC.GetTotalMemory(bool)"/> after full collections) and the process's resident set delta, which also
/// counts OpenSSL's native key and certificate objects. The entries themselves exist before the baseline is taken.
/// </summary>
internal static class CacheMemoryMode
{
    public static async Task RunAsync(int count)
    {
        var entries = Enumerable.Range(0, count)
            .Select(i => new RegistrationEntry(
                "entry-" + i.ToString(CultureInfo.InvariantCulture),
                SpiffeId.Parse("spiffe://example.org/workload/" + i.ToString(CultureInfo.InvariantCulture)),
                [BenchAgent.SelfUid]))
            .ToArray();
        var provider = new BenchIdentityProvider(entries);
        var cache = new WorkloadSvidCache(provider, new WorkloadSvidCacheOptions { X509SvidCacheMaxSize = count }, TimeProvider.System);

        // Warm every code path first so that JIT and OpenSSL's one-time state are not counted.
        var warm = new WorkloadSvidCache(provider, new WorkloadSvidCacheOptions { X509SvidCacheMaxSize = 1 }, TimeProvider.System);
        await warm.GetX509SvidAsync(entries[0], CancellationToken.None).ConfigureAwait(false);
        GC.KeepAlive(warm);

        long managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        long residentBefore = Resident();
        foreach (var entry in entries)
        {
            await cache.GetX509SvidAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }

        long managedAfter = GC.GetTotalMemory(forceFullCollection: true);
        GC.WaitForPendingFinalizers();
        long residentAfter = Resident();
        if (cache.X509Count != count)
        {
            throw new InvalidOperationException($"cache holds {cache.X509Count} SVIDs, expected {count}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count} cached X.509-SVIDs: managed {(managedAfter - managedBefore) / (double)count:F0} B/SVID, resident (managed + native) {(residentAfter - residentBefore) / (double)count:F0} B/SVID"));
        GC.KeepAlive(cache);
    }

    private static long Resident()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
