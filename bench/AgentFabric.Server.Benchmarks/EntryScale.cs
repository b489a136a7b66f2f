using System.Diagnostics;
using System.Globalization;
using AgentFabric.Contracts;
using AgentFabric.Server.Config;
using AgentFabric.Server.Datastore;
using AgentFabric.Server.Registration;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Benchmarks;

/// <summary>Builds a realistic entry tree and measures creating it through the registration service on SQLite (one
/// transaction per entry, as the Admin API does), the authorized-entries computation, and memory.</summary>
internal static class EntryScale
{
    /// <summary><paramref name="count"/> entries over <paramref name="nodes"/> nodes: per node one alias entry, 9
    /// services under the alias, the rest workloads under the services.</summary>
    public static IEnumerable<RegistrationEntry> Tree(int count, int nodes)
    {
        var perNode = count / nodes;
        for (var n = 0; n < nodes; n++)
        {
            var node = $"spiffe://bench.example/spire/agent/join_token/node-{n}";
            var alias = $"spiffe://bench.example/agent-{n}";
            yield return Entry($"e-{n:D3}0000", alias, node, "spiffe_id", node);
            for (var i = 1; i < perNode; i++)
            {
                var service = i % 10;
                if (i < 10)
                {
                    yield return Entry($"e-{n:D3}{i:D4}", $"{alias}/service-{i}", alias, "k8s", $"ns:svc-{i}");
                }
                else
                {
                    yield return Entry($"e-{n:D3}{i:D4}", $"{alias}/service-{Math.Max(1, service)}/w-{i}", $"{alias}/service-{Math.Max(1, service)}", "unix", $"uid:{i}");
                }
            }
        }
    }

    private static RegistrationEntry Entry(string id, string spiffe, string parent, string type, string value) => new()
    {
        EntryId = id, SpiffeId = SpiffeId.Parse(spiffe), ParentId = SpiffeId.Parse(parent), Selectors = [new Selector(type, value)], Revision = 1,
    };

    public static async Task RunAsync(int count)
    {
        var dir = Directory.CreateTempSubdirectory("afs-scale").FullName;
        try
        {
            await using var store = await SqlDataStore.OpenAsync(DatastoreKind.Sqlite, Path.Combine(dir, "db.sqlite3"), TimeProvider.System);
            var registration = new RegistrationService(TrustDomain.Parse("bench.example"), store, new EntryCache(), TimeProvider.System);
            await registration.InitializeAsync();
            var entries = Tree(count, nodes: 100).Select(e => e with { Revision = 0 }).ToList();
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var watch = Stopwatch.StartNew();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (var i = w; i < entries.Count; i += 4)
                {
                    await registration.CreateEntryAsync(entries[i]);
                }
            }));
            await Task.WhenAll(writers);
            var create = watch.Elapsed;
            var after = GC.GetTotalMemory(forceFullCollection: true);

            watch.Restart();
            await registration.InitializeAsync();
            var reload = watch.Elapsed;

            var node = SpiffeId.Parse("spiffe://bench.example/spire/agent/join_token/node-7");
            registration.Cache.AuthorizedEntries(node, 0);
            watch.Restart();
            const int rounds = 200;
            var authorized = 0;
            for (var i = 0; i < rounds; i++)
            {
                authorized = registration.Cache.AuthorizedEntries(node, 0).Count;
            }

            var perCall = watch.Elapsed / rounds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"entries: {count:N0}\ncreate (RegistrationService, SQLite, 1 transaction each, 4 writers): {create.TotalSeconds:F1} s ({count / create.TotalSeconds:F0} entries/s)\n" +
                $"reload cache from datastore: {reload.TotalMilliseconds:F0} ms\nauthorized entries of one node ({authorized:N0} of {count:N0}): {perCall.TotalMilliseconds:F3} ms\n" +
                $"managed memory held by the entry cache: {(after - before) / 1048576.0:F1} MiB; process working set: {Environment.WorkingSet / 1048576.0:F0} MiB"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
