using System.Collections.Concurrent;
using AgentFabric.Rego.Values;
using AgentFabric.Spiffe;

namespace AgentFabric.Authorization.Input;

/// <summary>
/// The input's workload objects (<c>{spiffe_id, trust_domain, path}</c>) per SPIFFE ID: a service decides for the
/// same few callers over and over, and the objects are immutable, so each is built once. Bounded: once full, objects
/// of new IDs are built per call instead of kept (correct, only slower).
/// </summary>
internal static class WorkloadValues
{
    private const int Capacity = 4096;
    private static readonly ConcurrentDictionary<SpiffeId, ObjectValue> s_values = new();

    public static ObjectValue Get(SpiffeId id)
    {
        if (s_values.TryGetValue(id, out var value))
        {
            return value;
        }

        value = AuthorizationInputBuilder.Workload(id, null);
        return s_values.Count < Capacity ? s_values.GetOrAdd(id, value) : value;
    }
}
