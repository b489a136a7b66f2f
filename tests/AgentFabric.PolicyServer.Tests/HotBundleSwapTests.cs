using AgentFabric.Authorization.Bundles;
using AgentFabric.PolicyServer.Hosting;

namespace AgentFabric.PolicyServer.Tests;

public sealed class HotBundleSwapTests
{
    [Fact]
    public async Task SwappingBundlesUnderLoadGivesNoFailedOrTornDecision()
    {
        var temp = TestBundles.TempDirectory();
        try
        {
            var a = PolicyBundle.LoadPath("app", TestBundles.App("a", temp));
            var b = PolicyBundle.LoadPath("app", TestBundles.App("b", temp));
            await using var server = await RunningPolicyServer.StartAsync(new PolicyServerOptions { BundlePaths = [TestBundles.App("a", temp)] });
            var expectedA = """{"result":{"data":"a","policy":"a","user":"u"}}""";
            var expectedB = """{"result":{"data":"b","policy":"b","user":"u"}}""";

            using var stop = new CancellationTokenSource();
            var seenA = 0;
            var seenB = 0;
            var bad = new System.Collections.Concurrent.ConcurrentBag<string>();
            var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var (status, body) = await server.SendAsync(HttpMethod.Post, "v1/data/app/answer", """{"input":{"user":"u"}}""");
                    if (status == 200 && body == expectedA)
                    {
                        Interlocked.Increment(ref seenA);
                    }
                    else if (status == 200 && body == expectedB)
                    {
                        Interlocked.Increment(ref seenB);
                    }
                    else
                    {
                        bad.Add($"{status} {body}");
                    }
                }
            })).ToArray();

            var swaps = 0;
            var until = DateTime.UtcNow.AddSeconds(2);
            while (DateTime.UtcNow < until)
            {
                Assert.True(server.Runtime.Activator.Activate(swaps % 2 == 0 ? b : a).Succeeded);
                swaps++;
                await Task.Delay(2);
            }

            await stop.CancelAsync();
            await Task.WhenAll(clients);
            Assert.Empty(bad);
            Assert.True(seenA > 0 && seenB > 0, $"a={seenA} b={seenB}");
            Assert.True(swaps > 20, $"swaps={swaps}");
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
