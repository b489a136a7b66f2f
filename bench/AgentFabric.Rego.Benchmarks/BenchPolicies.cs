using System.Reflection;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Benchmarks;

/// <summary>The benchmark policies (embedded from <c>Policies/</c>) and the shared fixtures (read at run time from a
/// <c>shared</c> folder beside the repository, never copied into it).</summary>
internal static class BenchPolicies
{
    public static readonly RegoEngine Engine = new();

    public static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"policy {name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static PreparedQuery Prepare(string policyName, Value data, string query)
    {
        var policy = Engine.Compile([new RegoModuleSource(policyName, Read(policyName))], data);
        return Engine.Prepare(policy, query);
    }

    /// <summary>The shared benchmark fixture folder, e.g. <c>rego-rbac</c>: <c>shared/bench/NAME</c> in a parent of
    /// the benchmark's directory (the repository's sibling), or <c>/work/shared/bench/NAME</c>.</summary>
    public static string SharedFixture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "bench", name);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        var fallback = Path.Combine("/work/shared/bench", name);
        return Directory.Exists(fallback)
            ? fallback
            : throw new DirectoryNotFoundException($"shared/bench/{name} was not found beside the repository");
    }

    /// <summary>The text of a string value; null for anything else (how the from-Value baselines read input).</summary>
    public static string? Text(Value? v) => v is StringValue s ? s.Value : null;

    /// <summary>Fails the setup when a baseline does not reach the decision the policy reaches (allow).</summary>
    public static void CheckBaseline(bool decided, string what)
    {
        if (!decided)
        {
            throw new InvalidOperationException($"{what}: the hand-written decision from the input value disagrees with the policy");
        }
    }

    public static void Check(bool expected, QueryResult result, string what)
    {
        if (result.IsTrue != expected)
        {
            throw new InvalidOperationException($"{what}: the policy decided {result.Value?.ToString() ?? "undefined"}, expected {expected}");
        }
    }
}
