using System.Text.Json;
using AgentFabric.PolicyServer.Hosting;

namespace AgentFabric.PolicyServer.Tests;

public sealed class DecisionLogTests
{
    [Fact]
    public async Task EachDecisionIsLoggedWithTheDecisionIdTheClientGot()
    {
        var temp = TestBundles.TempDirectory();
        var file = Path.Combine(temp, "decisions.jsonl");
        try
        {
            string decisionId;
            await using (var server = await RunningPolicyServer.StartAsync(new PolicyServerOptions { BundlePaths = [TestBundles.App("r7", temp)], DecisionLogFile = file }))
            {
                await server.PutPolicyAsync("mask", "package system.log\n\nmask contains \"/input/secret\"\n");
                var (status, body) = await server.SendAsync(HttpMethod.Post, "v1/data/app/answer", """{"input":{"user":"u","secret":"s3"}}""");
                Assert.Equal(200, status);
                using var answer = JsonDocument.Parse(body);
                decisionId = answer.RootElement.GetProperty("decision_id").GetString()!;
                Assert.Equal(36, decisionId.Length);
            }

            // Stopping the server flushed the logger.
            var line = Assert.Single(File.ReadAllLines(file));
            using var e = JsonDocument.Parse(line);
            var root = e.RootElement;
            Assert.Equal(decisionId, root.GetProperty("decision_id").GetString());
            Assert.Equal("app/answer", root.GetProperty("path").GetString());
            Assert.Equal("""{"user":"u"}""", root.GetProperty("input").GetRawText());
            Assert.Equal("""["/input/secret"]""", root.GetProperty("erased").GetRawText());
            Assert.Equal("""{"data":"r7","policy":"r7","user":"u"}""", root.GetProperty("result").GetRawText());
            Assert.Equal("""{"app":{"revision":"r7"}}""", root.GetProperty("bundles").GetRawText());
            Assert.True(root.GetProperty("metrics").GetProperty("timer_rego_query_eval_ns").GetInt64() > 0);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
