using System.Collections.Concurrent;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego;

/// <summary>Holds the current <see cref="CompiledPolicy"/> and swaps it atomically when policies or data change:
/// evaluations in flight finish against the policy they started with, new ones see the new policy, and a failed
/// update (parse or compile error) changes nothing.</summary>
public sealed class PolicyStore
{
    private readonly RegoEngine _engine;
    private Entry _current;

    /// <summary>A store starting with an already compiled policy.</summary>
    public PolicyStore(RegoEngine engine, CompiledPolicy initial)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(initial);
        _engine = engine;
        _current = new Entry(initial);
    }

    /// <summary>The policy new evaluations use.</summary>
    public CompiledPolicy Current => Volatile.Read(ref _current).Policy;

    /// <summary>Compiles modules and data and makes them current; throws (leaving the current policy in place) when
    /// they do not compile.</summary>
    public CompiledPolicy Update(IEnumerable<RegoModuleSource> modules, Value? data = null)
    {
        var compiled = _engine.Compile(modules, data);
        Swap(compiled);
        return compiled;
    }

    /// <summary>Makes an already compiled policy current.</summary>
    public void Swap(CompiledPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Volatile.Write(ref _current, new Entry(policy));
    }

    /// <summary>The query prepared against the current policy (cached per policy).</summary>
    public PreparedQuery Prepare(string query)
    {
        var entry = Volatile.Read(ref _current);
        return entry.Queries.GetOrAdd(query, q => _engine.Prepare(entry.Policy, q));
    }

    /// <summary>Evaluates a query (or a path such as <c>data.app.rbac.allow</c>) against the current policy.</summary>
    public QueryResult Evaluate(string query, Value? input, CancellationToken cancellationToken = default) =>
        Prepare(query).Evaluate(input, cancellationToken);

    private sealed class Entry(CompiledPolicy policy)
    {
        public CompiledPolicy Policy { get; } = policy;

        public ConcurrentDictionary<string, PreparedQuery> Queries { get; } = new(StringComparer.Ordinal);
    }
}
