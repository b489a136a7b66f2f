using System.Text.Json;

namespace AgentFabric.Cli.Tests.Policy;

public sealed class PolicyBenchCommandTests : IDisposable
{
    private readonly PolicyCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void JsonReportHasOpaBenchFields()
    {
        // A comprehension over the input builds a new array on every evaluation, so bytes_per_op cannot be 0.
        var policy = _cli.Write("p.rego", "package p\n\nallow if count([u | some u in input.users; u != \"\"]) > 1\n");
        var input = _cli.Write("input.json", """{"users": ["alice", "bob"]}""");

        var (exit, stdout, stderr) = PolicyCli.Run("bench", "-d", policy, "-i", input, "--count", "500", "--format", "json", "data.p.allow");

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(["ops", "ns_per_op", "p50_ns", "p99_ns", "bytes_per_op"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(500, root.GetProperty("ops").GetInt32());
        Assert.True(root.GetProperty("ns_per_op").GetDouble() > 0);
        Assert.True(root.GetProperty("p50_ns").GetInt64() > 0);
        Assert.True(root.GetProperty("p99_ns").GetInt64() >= root.GetProperty("p50_ns").GetInt64());
        Assert.True(root.GetProperty("bytes_per_op").GetInt64() > 0);
    }

    [Fact]
    public void TextReportListsOneFigurePerLine()
    {
        var policy = _cli.Write("p.rego", "package p\n\nallow := true\n");

        var (exit, stdout, _) = PolicyCli.Run("bench", "-d", policy, "--count", "100", "data.p.allow");

        Assert.Equal(0, exit);
        var names = stdout.TrimEnd('\n').Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
        Assert.Equal(["ops", "ns/op", "p50", "p99", "B/op"], names);
        Assert.Matches(@"^ops +100\n", stdout);
    }

    [Fact]
    public void CountBelowOneIsRejected()
    {
        var policy = _cli.Write("p.rego", "package p\n\nallow := true\n");

        var (exit, _, stderr) = PolicyCli.Run("bench", "-d", policy, "--count", "0", "data.p.allow");

        Assert.Equal(1, exit);
        Assert.Equal("--count must be at least 1, got 0\n", stderr);
    }

    [Fact]
    public void UnknownFormatIsRejected()
    {
        var policy = _cli.Write("p.rego", "package p\n\nallow := true\n");

        var (exit, _, stderr) = PolicyCli.Run("bench", "-d", policy, "--format", "xml", "data.p.allow");

        Assert.NotEqual(0, exit);
        Assert.Contains("xml", stderr, StringComparison.Ordinal);
    }
}
