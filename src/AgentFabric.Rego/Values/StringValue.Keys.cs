using System.Collections.Concurrent;

namespace AgentFabric.Rego.Values;

public sealed partial class StringValue
{
    // Object keys repeat across documents (every input has "subject", "action"...): one shared instance per short
    // key lets lookups and comparisons between an input's keys and a policy's constant keys end at a reference
    // check, and each key's hash is computed once. Bounded, so arbitrary inputs cannot grow it without limit: once
    // full, new keys are simply not shared.
    private const int MaxSharedKeys = 8192;
    private const int MaxSharedKeyLength = 64;
    private static readonly ConcurrentDictionary<string, StringValue> SharedKeys = new(StringComparer.Ordinal);

    /// <summary>A string used as an object key: the shared instance for short keys, a new one otherwise.</summary>
    internal static StringValue Key(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return Empty;
        }

        if (value.Length > MaxSharedKeyLength)
        {
            return new StringValue(value);
        }

        if (SharedKeys.TryGetValue(value, out var shared))
        {
            return shared;
        }

        return SharedKeys.Count < MaxSharedKeys ? SharedKeys.GetOrAdd(value, static v => new StringValue(v)) : new StringValue(value);
    }

    /// <summary>The shared instance of a key when there is one (see <see cref="Key"/>), else the value itself.</summary>
    internal static Value Key(Value value) =>
        value is StringValue s && s.Value.Length <= MaxSharedKeyLength ? Key(s.Value) : value;
}
