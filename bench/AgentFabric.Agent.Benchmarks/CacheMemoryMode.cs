using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using AgentFabric.Agent.Cache;
using AgentFabric.Agent.Identity;

namespace AgentFabric.Agent.Benchmarks;

/// <summary>
/// <c>--memory N</c>: fills a <see cref="WorkloadSvidCache"/> with N X.509-SVIDs (N entries, each issued through the
/// real key generation, CSR and signing path) and reports what the cache holds per SVID: the managed heap delta
/// (<see cref="GC.GetTotalMemory(bool)"/> after full collections), the native heap in use (glibc mallinfo2: OpenSSL's
/// key and certificate objects) and the resident set delta (which also counts freed pages glibc keeps). The entries
/// themselves exist before the baseline is taken.
/// </summary>
internal static partial class CacheMemoryMode
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

        // Warm every code path first so that JIT and one-time native state (OpenSSL's, glibc's arenas for the thread
        // pool's threads: ~8 MB here, whatever N is) are not counted as per-SVID cost: a throwaway cache issues up to
        // 1,000 SVIDs on the same threads and is dropped before the baseline.
        await WarmAsync(provider, entries).ConfigureAwait(false);

        long managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        GC.WaitForPendingFinalizers();
        long nativeBefore = NativeInUse();
        long residentBefore = Resident();
        foreach (var entry in entries)
        {
            await cache.GetX509SvidAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }

        long managedAfter = GC.GetTotalMemory(forceFullCollection: true);
        GC.WaitForPendingFinalizers();
        long nativeAfter = NativeInUse();
        long residentAfter = Resident();
        if (cache.X509Count != count)
        {
            throw new InvalidOperationException($"cache holds {cache.X509Count} SVIDs, expected {count}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count} cached X.509-SVIDs: managed {(managedAfter - managedBefore) / (double)count:F0} B/SVID, native heap {(nativeAfter - nativeBefore) / (double)count:F0} B/SVID, resident set {(residentAfter - residentBefore) / (double)count:F0} B/SVID"));
        GC.KeepAlive(cache);
    }

    private static async Task WarmAsync(BenchIdentityProvider provider, RegistrationEntry[] entries)
    {
        int warmCount = Math.Min(entries.Length, 1000);
        var warm = new WorkloadSvidCache(provider, new WorkloadSvidCacheOptions { X509SvidCacheMaxSize = warmCount }, TimeProvider.System);
        foreach (var entry in entries.Take(warmCount))
        {
            await warm.GetX509SvidAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }

        GC.KeepAlive(warm);
    }

    /// <summary>Bytes glibc's allocator has handed out and not had back (all arenas, mmapped blocks included).</summary>
    private static long NativeInUse()
    {
        var info = MallInfo2();
        return (long)(info.InUse + info.Mapped);
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallInfo MallInfo2();

    /// <summary>struct mallinfo2 (malloc.h): ten size_t fields.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo
    {
        public nuint Arena;
        public nuint OrdBlks;
        public nuint SmBlks;
        public nuint HBlks;
        public nuint Mapped;
        public nuint UsmBlks;
        public nuint FsmBlks;
        public nuint InUse;
        public nuint FordBlks;
        public nuint KeepCost;
    }

    private static long Resident()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
