using System.Collections.Concurrent;

namespace AgentFabric.Agent.Attestation;

/// <summary>
/// A bounded, thread-safe map whose values expire after a fixed lifetime. When full, expired values go first; if none
/// has expired the whole map is dropped (everything in it can be recomputed, and a node runs far fewer workload
/// processes and binaries than the bound), which keeps every operation cheap and the size hard-limited.
/// </summary>
internal sealed class AttestationCache<TKey, TValue>(int capacity, TimeSpan lifetime, TimeProvider time)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (TValue Value, DateTimeOffset Expires)> _items = new();

    public int Count => _items.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_items.TryGetValue(key, out var item))
        {
            if (time.GetUtcNow() < item.Expires)
            {
                value = item.Value;
                return true;
            }

            _items.TryRemove(new KeyValuePair<TKey, (TValue, DateTimeOffset)>(key, item));
        }

        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        if (capacity <= 0 || lifetime <= TimeSpan.Zero)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (_items.Count >= capacity && !_items.ContainsKey(key))
        {
            foreach (var (k, item) in _items)
            {
                if (now >= item.Expires)
                {
                    _items.TryRemove(k, out _);
                }
            }

            if (_items.Count >= capacity)
            {
                _items.Clear();
            }
        }

        _items[key] = (value, lifetime == TimeSpan.MaxValue ? DateTimeOffset.MaxValue : now + lifetime);
    }
}
