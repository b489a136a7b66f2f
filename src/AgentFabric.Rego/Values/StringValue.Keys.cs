using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

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

    // Builders pass the same string instances again and again (literals such as "caller"): a small table indexed by
    // the string's identity finds their shared key without hashing the text. A slot holds a shared key (one
    // reference, written atomically, no allocation) and is overwritten on collision; a hit is confirmed by comparing
    // the text, so a slot taken over by another string is only a miss.
    private const int RecentKeySlots = 256;
    private static readonly StringValue?[] RecentKeys = new StringValue?[RecentKeySlots];

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

        var slot = RuntimeHelpers.GetHashCode(value) & (RecentKeySlots - 1);
        if (RecentKeys[slot] is { } recent && string.Equals(recent.Value, value, StringComparison.Ordinal))
        {
            return recent;
        }

        if (!SharedKeys.TryGetValue(value, out var shared))
        {
            if (SharedKeys.Count >= MaxSharedKeys)
            {
                return new StringValue(value);
            }

            shared = SharedKeys.GetOrAdd(value, static v => new StringValue(v));
        }

        RecentKeys[slot] = shared;
        return shared;
    }

    /// <summary>The shared instance of a key when there is one (see <see cref="Key"/>), else the value itself.</summary>
    internal static Value Key(Value value) =>
        value is StringValue s && s.Value.Length <= MaxSharedKeyLength ? Key(s.Value) : value;
}
