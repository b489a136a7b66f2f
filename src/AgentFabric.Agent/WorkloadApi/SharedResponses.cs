using System.Runtime.CompilerServices;
using AgentFabric.Agent.Identity;
using Google.Protobuf;

namespace AgentFabric.Agent.WorkloadApi;

/// <summary>A response message built once, with its wire bytes, shared by every stream that sends it. Never mutated
/// once built.</summary>
internal sealed record SharedResponse<T>(T Message, ByteString Bytes)
    where T : IMessage<T>
{
    public static SharedResponse<T> Of(T message) => new(message, message.ToByteString());

    /// <summary>Whether a stream that last sent <paramref name="last"/> must send this one (same content is not sent
    /// twice, Workload API §4.3 only asks for changes).</summary>
    public bool DiffersFrom(SharedResponse<T>? last) =>
        last is null || (!ReferenceEquals(this, last) && !Bytes.Equals(last.Bytes));
}

/// <summary>
/// Workload API responses shared across streams. A response depends only on the identity snapshot and, for
/// X.509-SVIDs, on which entries matched and which SVID instances the cache holds for them (a rotation makes new
/// instances, a sync a new snapshot): streams of callers with the same identity then send one message built and
/// serialized once, which is what keeps the push of a rotation to thousands of open streams cheap. Entries live as
/// long as their snapshot (a weak table); per snapshot one response per matched entry set (the latest SVIDs), at most
/// <see cref="MaxEntrySetsPerSnapshot"/>.
/// </summary>
internal sealed class SharedResponses
{
    public const int MaxEntrySetsPerSnapshot = 1024;

    private readonly ConditionalWeakTable<IdentitySnapshot, PerSnapshot> _bySnapshot = [];

    public SharedResponse<T> ForSnapshot<T>(IdentitySnapshot snapshot, Func<IdentitySnapshot, T> build)
        where T : IMessage<T>
    {
        var slots = _bySnapshot.GetValue(snapshot, static _ => new PerSnapshot());
        lock (slots)
        {
            if (slots.Bundles.TryGetValue(typeof(T), out var shared))
            {
                return (SharedResponse<T>)shared;
            }
        }

        var built = SharedResponse<T>.Of(build(snapshot));
        lock (slots)
        {
            return (SharedResponse<T>)(slots.Bundles.TryAdd(typeof(T), built) ? built : slots.Bundles[typeof(T)]);
        }
    }

    /// <summary>
    /// The response for the matched <paramref name="entries"/> carrying <paramref name="svids"/> (both compared by
    /// reference). One slot per entry set: a rotation replaces the slot's response, so SVIDs rotated away are not kept
    /// alive by old responses.
    /// </summary>
    public SharedResponse<T> ForSvids<T>(IdentitySnapshot snapshot, object[] entries, object[] svids, Func<T> build)
        where T : IMessage<T>
    {
        var slots = _bySnapshot.GetValue(snapshot, static _ => new PerSnapshot());
        var key = new PartsKey(entries);
        var version = new PartsKey(svids);
        lock (slots)
        {
            if (slots.Svids.TryGetValue(key, out var slot) && slot.Svids.Equals(version))
            {
                return (SharedResponse<T>)slot.Response;
            }
        }

        var built = SharedResponse<T>.Of(build());
        lock (slots)
        {
            if (slots.Svids.TryGetValue(key, out var raced) && raced.Svids.Equals(version))
            {
                return (SharedResponse<T>)raced.Response;
            }

            if (slots.Svids.Count >= MaxEntrySetsPerSnapshot && !slots.Svids.ContainsKey(key))
            {
                slots.Svids.Clear(); // rebuilt on demand; bounded memory matters more than a rebuild
            }

            slots.Svids[key] = (version, built);
            return built;
        }
    }

    private sealed class PerSnapshot
    {
        public Dictionary<Type, object> Bundles { get; } = [];

        public Dictionary<PartsKey, (PartsKey Svids, object Response)> Svids { get; } = [];
    }

    /// <summary>A sequence of objects compared by reference.</summary>
    private readonly struct PartsKey(object[] parts) : IEquatable<PartsKey>
    {
        private readonly object[] _parts = parts;

        public bool Equals(PartsKey other)
        {
            if (_parts.Length != other._parts.Length)
            {
                return false;
            }

            for (int i = 0; i < _parts.Length; i++)
            {
                if (!ReferenceEquals(_parts[i], other._parts[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is PartsKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = default(HashCode);
            foreach (var part in _parts)
            {
                hash.Add(RuntimeHelpers.GetHashCode(part));
            }

            return hash.ToHashCode();
        }
    }
}
