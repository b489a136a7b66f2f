namespace AgentFabric.Edge.Tests.Exchange;

/// <summary>A policy bundle that does not activate stops the edge at start with a clear error.</summary>
public sealed class ExchangePolicyStartupTests
{
    [Fact]
    public async Task ABundleThatDoesNotParse_FailsTheStart()
    {
        var dir = Path.Combine(Path.GetTempPath(), "af-edge-policy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, ".manifest"), """{"roots":["edge"]}""");
            await File.WriteAllTextAsync(Path.Combine(dir, "exchange.rego"), "package edge.exchange\n\nallow if {");
            var e = await Assert.ThrowsAsync<EdgeConfigException>(() => EdgeUnderTest.StartAsync(o => o.PolicyPath = dir));
            Assert.StartsWith("edge: the policy bundle \"edge\" did not load: ", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
