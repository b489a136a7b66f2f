using System.Text.Json;
using AgentFabric.Authorization.DecisionLogs;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFabric.PolicyServer.Tests.Envoy;

/// <summary>Each Check decision goes to the registered decision logger with its path, input and result.</summary>
public sealed class EnvoyCheckDecisionLogTests
{
    [Fact]
    public async Task CheckDecision_IsLoggedWithPathInputAndResult()
    {
        var file = Path.Combine(Path.GetTempPath(), $"envoy-decisions-{Guid.NewGuid():N}.jsonl");
        try
        {
            var logger = new DecisionLogger([new FileDecisionLogSink(file)]);
            await using (var server = await EnvoyCheckServer.StartAsync(
                "package envoy.authz\n\nallow if input.parsed_path == [\"people\"]\n\ndefault allow := false\n",
                services: s => s.AddSingleton(logger)))
            {
                await server.Client.CheckAsync(EnvoyCheckServer.Request("GET", "/people?lang=en", principal: "spiffe://example.org/a"));
                await server.Client.CheckAsync(EnvoyCheckServer.Request("GET", "/other"));
            }

            await logger.FlushAndStopAsync(TimeSpan.FromSeconds(10));

            var events = File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
            Assert.Equal(2, events.Length);
            Assert.Equal(["envoy/authz/allow", "envoy/authz/allow"], events.Select(e => e.GetProperty("path").GetString()));
            Assert.Equal([true, false], events.Select(e => e.GetProperty("result").GetBoolean()));
            Assert.Equal("[\"people\"]", events[0].GetProperty("input").GetProperty("parsed_path").GetRawText());
            Assert.Equal("{\"lang\":[\"en\"]}", events[0].GetProperty("input").GetProperty("parsed_query").GetRawText());
            Assert.Equal("spiffe://example.org/a", events[0].GetProperty("input").GetProperty("attributes").GetProperty("source").GetProperty("principal").GetString());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
