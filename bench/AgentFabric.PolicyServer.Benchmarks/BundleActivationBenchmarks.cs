using System.Text;
using AgentFabric.Authorization.Bundles;
using AgentFabric.Rego;
using BenchmarkDotNet.Attributes;

namespace AgentFabric.PolicyServer.Benchmarks;

/// <summary>Loading and activating a bundle of 1,000 rules and 10 MB of data (read, parse, verify roots, compile,
/// swap), against activating a one-rule bundle (baseline).</summary>
[MemoryDiagnoser]
public class BundleActivationBenchmarks
{
    private string _big = null!;
    private string _small = null!;
    private BundleActivator _activator = null!;

    [GlobalSetup]
    public void Setup()
    {
        var root = Path.Combine(Path.GetTempPath(), "af-bench-bundle-" + Guid.NewGuid().ToString("N"));
        _small = Write(Path.Combine(root, "small"), 1, 0);
        _big = Write(Path.Combine(root, "big"), 1000, 10 * 1024 * 1024);
        _activator = new BundleActivator(new RegoEngine());
        Console.WriteLine($"// big bundle data.json: {new FileInfo(Path.Combine(_big, "big", "data.json")).Length} bytes");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(Path.GetDirectoryName(_big)!, recursive: true);

    [Benchmark(Baseline = true)]
    public bool OneRule() => _activator.Activate("small", () => PolicyBundle.LoadPath("small", _small)).Succeeded;

    [Benchmark]
    public bool ThousandRulesTenMegabytes() => _activator.Activate("big", () => PolicyBundle.LoadPath("big", _big)).Succeeded;

    private static string Write(string dir, int rules, int dataBytes)
    {
        var name = Path.GetFileName(dir);
        Directory.CreateDirectory(Path.Combine(dir, name));
        File.WriteAllText(Path.Combine(dir, ".manifest"), $$"""{"revision":"1","roots":["{{name}}"]}""");
        var rego = new StringBuilder($"package {name}\n\n");
        for (var i = 0; i < rules; i++)
        {
            rego.Append(System.Globalization.CultureInfo.InvariantCulture, $"allow_{i} if {{\n    input.user == data.{name}.users[\"u{i}\"].name\n    input.action in data.{name}.users[\"u{i}\"].actions\n}}\n\n");
        }

        File.WriteAllText(Path.Combine(dir, name, "policy.rego"), rego.ToString());
        var data = new StringBuilder("{\"users\":{");
        var n = 0;
        do
        {
            if (n > 0)
            {
                data.Append(',');
            }

            data.Append(System.Globalization.CultureInfo.InvariantCulture, $"\"u{n}\":{{\"name\":\"user-{n}\",\"actions\":[\"read\",\"write\",\"delete\"],\"team\":\"team-{n % 97}\"}}");
            n++;
        }
        while (data.Length < dataBytes);
        data.Append("}}");
        File.WriteAllText(Path.Combine(dir, name, "data.json"), data.ToString());
        return dir;
    }
}
