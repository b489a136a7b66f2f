using System.Collections;
using AgentFabric.Server.Config;

namespace AgentFabric.Server.Tests.Config;

/// <summary>SPIRE's prune_attested_nodes_expired_for and prune_attested_nodes_batch_size.</summary>
public class NodePruningConfigTests
{
    private static readonly Hashtable s_noEnv = [];

    [Fact]
    public void Absent_NeverPrunes_AndTheBatchIsSpiresDefault()
    {
        var s = ServerConfigLoader.Load("""{"trust_domain":"td","data_dir":"/d"}""", s_noEnv);
        Assert.Equal((null, 1000), (s.PruneAttestedNodesExpiredFor, s.PruneAttestedNodesBatchSize));
    }

    [Theory]
    [InlineData("720h", 720 * 3600, null, 1000)]
    [InlineData("1h30m", 5400, "50", 50)]
    [InlineData("30d", 30 * 86400, "1", 1)]
    [InlineData("90s", 90, "100000", 100000)]
    public void ExpiredFor_IsADuration_AndBatchSizeAPositiveCount(string expiredFor, int seconds, string? batch, int expectedBatch)
    {
        var batchJson = batch is null ? "" : $",\"prune_attested_nodes_batch_size\":{batch}";
        var s = ServerConfigLoader.Load($$"""{"trust_domain":"td","data_dir":"/d","prune_attested_nodes_expired_for":"{{expiredFor}}"{{batchJson}}}""", s_noEnv);
        Assert.Equal((TimeSpan.FromSeconds(seconds), expectedBatch), (s.PruneAttestedNodesExpiredFor, s.PruneAttestedNodesBatchSize));
    }

    [Fact]
    public void EnvironmentOverride_SetsIt()
    {
        var s = ServerConfigLoader.Load("""{"trust_domain":"td","data_dir":"/d"}""", new Hashtable { ["AGENTFABRIC_SERVER_PRUNE_ATTESTED_NODES_EXPIRED_FOR"] = "48h" });
        Assert.Equal(TimeSpan.FromHours(48), s.PruneAttestedNodesExpiredFor);
    }

    [Theory]
    [InlineData("\"prune_attested_nodes_expired_for\":\"0\"", "config: prune_attested_nodes_expired_for must be positive, got \"0\"")]
    [InlineData("\"prune_attested_nodes_expired_for\":\"0s\"", "config: prune_attested_nodes_expired_for must be positive, got \"0s\"")]
    [InlineData("\"prune_attested_nodes_expired_for\":\"-1h\"", "config: prune_attested_nodes_expired_for \"-1h\" is not a duration (examples: \"1h\", \"5m\", \"30s\")")]
    [InlineData("\"prune_attested_nodes_expired_for\":\"a month\"", "config: prune_attested_nodes_expired_for \"a month\" is not a duration (examples: \"1h\", \"5m\", \"30s\")")]
    [InlineData("\"prune_attested_nodes_expired_for\":\"\"", "config: prune_attested_nodes_expired_for \"\" is not a duration (examples: \"1h\", \"5m\", \"30s\")")]
    [InlineData("\"prune_attested_nodes_expired_for\":\"1h\",\"prune_attested_nodes_batch_size\":0", "config: prune_attested_nodes_batch_size must be positive, got 0")]
    [InlineData("\"prune_attested_nodes_expired_for\":\"1h\",\"prune_attested_nodes_batch_size\":-5", "config: prune_attested_nodes_batch_size must be positive, got -5")]
    public void BadValues_AreRefused_NamingTheKey(string member, string message)
    {
        var e = Assert.Throws<ServerConfigException>(() => ServerConfigLoader.Load($$"""{"trust_domain":"td","data_dir":"/d",{{member}}}""", s_noEnv));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("\"prune_attested_nodes_expired_for\":720")]
    [InlineData("\"prune_attested_nodes_batch_size\":\"many\"")]
    public void AValueOfTheWrongJsonType_IsRefused_NamingTheKey(string member)
    {
        var e = Assert.Throws<ServerConfigException>(() => ServerConfigLoader.Load($$"""{"trust_domain":"td","data_dir":"/d",{{member}}}""", s_noEnv));
        Assert.Contains(member[1..member.IndexOf('"', 1)], e.Message, StringComparison.Ordinal);
    }
}
