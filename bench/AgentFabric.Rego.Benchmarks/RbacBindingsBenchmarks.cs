using AgentFabric.Rego.Values;
using BenchmarkDotNet.Attributes;

namespace AgentFabric.Rego.Benchmarks;

/// <summary>RBAC with 1,000 role bindings in data (subject to roles, 50 roles of 10 permissions each): a subject
/// holding the permission through its third role.</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class RbacBindingsBenchmarks
{
    private PreparedQuery _query = null!;
    private Value _input = null!;
    private Dictionary<string, string[]> _bindings = null!;
    private Dictionary<string, (string Action, string Resource)[]> _roles = null!;
    private (string Subject, string Action, string Resource) _request;

    [GlobalSetup]
    public void Setup()
    {
        _bindings = [];
        _roles = [];
        var bindings = new ObjectValue.Builder();
        for (var s = 0; s < 1000; s++)
        {
            var roles = new[] { $"role-{s % 50}", $"role-{(s * 3) % 50}", $"role-{(s * 7) % 50}" };
            _bindings[$"user-{s}"] = roles;
            bindings.Set($"user-{s}", ArrayValue.CreateRange(roles.Select(r => (Value)StringValue.Create(r))));
        }

        var rolesDoc = new ObjectValue.Builder();
        for (var r = 0; r < 50; r++)
        {
            var perms = Enumerable.Range(0, 10).Select(p => (Action: p % 2 == 0 ? "read" : "write", Resource: $"res-{r}-{p}")).ToArray();
            _roles[$"role-{r}"] = perms;
            rolesDoc.Set($"role-{r}", ArrayValue.CreateRange(perms.Select(p =>
            {
                var o = new ObjectValue.Builder();
                o.Set("action", StringValue.Create(p.Action));
                o.Set("resource", StringValue.Create(p.Resource));
                return (Value)o.ToValue();
            })));
        }

        var data = new ObjectValue.Builder();
        data.Set("bindings", bindings.ToValue());
        data.Set("roles", rolesDoc.ToValue());
        _query = BenchPolicies.Prepare("rbac_bindings.rego", data.ToValue(), "data.rbac.bindings.allow");

        // user-17 holds role-17, role-1 and role-19; res-19-9 (write) comes through the third.
        _input = Value.ParseJson("""{"subject": "user-17", "action": "write", "resource": "res-19-9"}""");
        _request = ("user-17", "write", "res-19-9");
        BenchPolicies.Check(true, _query.Evaluate(_input), "rbac.bindings");
        BenchPolicies.CheckBaseline(HandWrittenFromValue(), "rbac.bindings");
    }

    [Benchmark(Baseline = true)]
    public bool HandWritten()
    {
        if (!_bindings.TryGetValue(_request.Subject, out var roles))
        {
            return false;
        }

        foreach (var role in roles)
        {
            if (_roles.TryGetValue(role, out var perms))
            {
                foreach (var (action, resource) in perms)
                {
                    if (action == _request.Action && resource == _request.Resource)
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
        if (_input is not ObjectValue input || BenchPolicies.Text(input.Get("subject")) is not { } subject ||
            !_bindings.TryGetValue(subject, out var roles))
        {
            return false;
        }

        var action = BenchPolicies.Text(input.Get("action"));
        var resource = BenchPolicies.Text(input.Get("resource"));
        foreach (var role in roles)
        {
            if (_roles.TryGetValue(role, out var perms))
            {
                foreach (var (a, r) in perms)
                {
                    if (a == action && r == resource)
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
}
