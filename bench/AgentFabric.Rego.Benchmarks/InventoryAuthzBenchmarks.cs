using AgentFabric.Rego.Values;
using BenchmarkDotNet.Attributes;

namespace AgentFabric.Rego.Benchmarks;

/// <summary>A seed-001-style inventory policy: a caller workload with the write scope updates an item for a user on
/// the warehouse's staff (the second rule decides).</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class InventoryAuthzBenchmarks
{
    private PreparedQuery _query = null!;
    private Value _input = null!;
    private Dictionary<string, HashSet<string>> _callerScopes = null!;
    private Dictionary<string, HashSet<string>> _staff = null!;
    private Request _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _callerScopes = [];
        _staff = [];
        var callers = new ObjectValue.Builder();
        for (var i = 0; i < 50; i++)
        {
            var id = $"spiffe://shop.example/ns/inventory/sa/agent-{i}";
            string[] scopes = i % 2 == 0 ? ["inventory:read", "inventory:write"] : ["inventory:read"];
            _callerScopes[id] = [.. scopes];
            var c = new ObjectValue.Builder();
            c.Set("scopes", ArrayValue.CreateRange(scopes.Select(s => (Value)StringValue.Create(s))));
            callers.Set(id, c.ToValue());
        }

        var warehouses = new ObjectValue.Builder();
        for (var w = 0; w < 20; w++)
        {
            var staff = Enumerable.Range(0, 25).Select(u => $"user{(w * 7) + u}").ToArray();
            _staff[$"wh-{w}"] = [.. staff];
            var o = new ObjectValue.Builder();
            o.Set("staff", ArrayValue.CreateRange(staff.Select(s => (Value)StringValue.Create(s))));
            warehouses.Set($"wh-{w}", o.ToValue());
        }

        var inventory = new ObjectValue.Builder();
        inventory.Set("callers", callers.ToValue());
        inventory.Set("warehouses", warehouses.ToValue());
        var data = new ObjectValue.Builder();
        data.Set("inventory", inventory.ToValue());
        _query = BenchPolicies.Prepare("inventory_authz.rego", data.ToValue(), "data.inventory.authz.allow");
        _input = Value.ParseJson("""
            {"method": "PUT", "path": ["items", "sku-991"], "caller_spiffe_id": "spiffe://shop.example/ns/inventory/sa/agent-4",
             "user": "user30", "warehouse": "wh-3"}
            """);
        _request = new Request("PUT", ["items", "sku-991"], "spiffe://shop.example/ns/inventory/sa/agent-4", "user30", "wh-3");
        BenchPolicies.Check(true, _query.Evaluate(_input), "inventory.authz");
        BenchPolicies.CheckBaseline(HandWrittenFromValue(), "inventory.authz");
    }

    [Benchmark(Baseline = true)]
    public bool HandWritten()
    {
        var r = _request;
        if (r.Path.Length == 0 || r.Path[0] != "items" || !_callerScopes.TryGetValue(r.Caller, out var scopes))
        {
            return false;
        }

        if (r.Method == "GET" && scopes.Contains("inventory:read"))
        {
            return true;
        }

        return r.Method is "POST" or "PUT" && scopes.Contains("inventory:write") &&
            _staff.TryGetValue(r.Warehouse, out var staff) && staff.Contains(r.User);
    }

    /// <summary>The same decision read from the input <see cref="Value"/> the engine receives.</summary>
    [Benchmark]
    public bool HandWrittenFromValue()
    {
        if (_input is not ObjectValue input || input.Get("path") is not ArrayValue { Count: > 0 } path ||
            BenchPolicies.Text(path[0]) != "items" || BenchPolicies.Text(input.Get("caller_spiffe_id")) is not { } caller ||
            !_callerScopes.TryGetValue(caller, out var scopes))
        {
            return false;
        }

        var method = BenchPolicies.Text(input.Get("method"));
        if (method == "GET" && scopes.Contains("inventory:read"))
        {
            return true;
        }

        return method is "POST" or "PUT" && scopes.Contains("inventory:write") &&
            BenchPolicies.Text(input.Get("warehouse")) is { } warehouse && _staff.TryGetValue(warehouse, out var staff) &&
            BenchPolicies.Text(input.Get("user")) is { } user && staff.Contains(user);
    }

    [Benchmark]
    public bool Rego() => _query.Evaluate(_input).IsTrue;

    private sealed record Request(string Method, string[] Path, string Caller, string User, string Warehouse);
}
