using AgentFabric.Rego.Values;
using BenchmarkDotNet.Attributes;

namespace AgentFabric.Rego.Benchmarks;

/// <summary>The shared RBAC fixture (<c>shared/bench/rego-rbac</c>, query <c>data.app.rbac.allow</c>, bob may update
/// finance): the prepared Rego query against the same decision written by hand in C#.</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class RbacFixtureBenchmarks
{
    private PreparedQuery _query = null!;
    private Value _input = null!;
    private Dictionary<string, string[]> _userRoles = null!;
    private Dictionary<string, (string Action, string Type)[]> _roleGrants = null!;
    private (string User, string Action, string Type) _request;

    [GlobalSetup]
    public void Setup()
    {
        var dir = BenchPolicies.SharedFixture("rego-rbac");
        var data = Value.ParseJson(File.ReadAllText(Path.Combine(dir, "data.json")));
        var policy = BenchPolicies.Engine.Compile([new RegoModuleSource("rbac.rego", File.ReadAllText(Path.Combine(dir, "rbac.rego")))], data);
        _query = BenchPolicies.Engine.Prepare(policy, "data.app.rbac.allow");
        _input = Value.ParseJson(File.ReadAllText(Path.Combine(dir, "input.json")));

        var d = (ObjectValue)data;
        _userRoles = ((ObjectValue)d.Get("user_roles")!).ToDictionary(
            e => ((StringValue)e.Key).Value,
            e => ((ArrayValue)e.Value).Items.ToArray().Select(r => ((StringValue)r).Value).ToArray());
        _roleGrants = ((ObjectValue)d.Get("role_grants")!).ToDictionary(
            e => ((StringValue)e.Key).Value,
            e => ((ArrayValue)e.Value).Items.ToArray().Select(g => (Str(g, "action"), Str(g, "type"))).ToArray());
        var i = (ObjectValue)_input;
        _request = (Str(i, "user"), Str(i, "action"), Str(i, "type"));
        BenchPolicies.Check(true, _query.Evaluate(_input), "rbac fixture");
        BenchPolicies.CheckBaseline(HandWrittenFromValue(), "rbac fixture");
        if (!HandWritten())
        {
            throw new InvalidOperationException("the hand-written decision disagrees with the fixture");
        }
    }

    [Benchmark(Baseline = true)]
    public bool HandWritten()
    {
        if (!_userRoles.TryGetValue(_request.User, out var roles))
        {
            return false;
        }

        foreach (var role in roles)
        {
            if (role == "admin")
            {
                return true;
            }
        }

        foreach (var role in roles)
        {
            if (_roleGrants.TryGetValue(role, out var grants))
            {
                foreach (var (action, type) in grants)
                {
                    if (action == _request.Action && type == _request.Type)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>The same decision read from the input <see cref="Value"/> the engine receives.</summary>
    [Benchmark]
    public bool HandWrittenFromValue()
    {
        if (_input is not ObjectValue input || BenchPolicies.Text(input.Get("user")) is not { } user ||
            !_userRoles.TryGetValue(user, out var roles))
        {
            return false;
        }

        foreach (var role in roles)
        {
            if (role == "admin")
            {
                return true;
            }
        }

        var action = BenchPolicies.Text(input.Get("action"));
        var type = BenchPolicies.Text(input.Get("type"));
        foreach (var role in roles)
        {
            if (_roleGrants.TryGetValue(role, out var grants))
            {
                foreach (var (a, t) in grants)
                {
                    if (a == action && t == type)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    [Benchmark]
    public bool Rego() => _query.Evaluate(_input).IsTrue;

    private static string Str(Value o, string key) => ((StringValue)((ObjectValue)o).Get(key)!).Value;
}
